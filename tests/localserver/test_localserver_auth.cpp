// SPDX-License-Identifier: GPL-3.0-or-later
// codalab-local-server: users, tokens and authentication, over real HTTP on 127.0.0.1.
#include "localserverfixture.h"

#include <QFileInfo>
#include <QProcess>
#include <QTest>

using namespace codalab::test;

TEST_CASE("a first start creates the codalab user with a private password file", "[localserver][auth]")
{
    LocalServerFixture f;
    CHECK(f.server->initialPassword() == f.password);
    CHECK(f.password.size() >= 16);
    const QFileInfo info(f.server->passwordFile());
    CHECK(info.permissions()
        == (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser
            | QFileDevice::WriteUser));
    QFile url(f.server->urlFile());
    REQUIRE(url.open(QIODevice::ReadOnly));
    CHECK(url.readAll().trimmed() == f.server->url().toUtf8());
    CHECK(f.server->url().startsWith(QLatin1String("http://127.0.0.1:")));

    f.restart();
    CHECK(f.server->initialPassword().isEmpty()); // printed once, on the first start only
    HttpTestClient c = f.client();
    CHECK(c.passwordGrant(QStringLiteral("codalab_cli_client"), QStringLiteral("codalab"), f.password).status
        == 200);
}

TEST_CASE("the password grant answers as upstream's oauth2 endpoint", "[localserver][auth]")
{
    LocalServerFixture f(1234);
    HttpTestClient c = f.client();
    HttpResult r
        = c.passwordGrant(QStringLiteral("codalab_cli_client"), QStringLiteral("codalab"), f.password);
    REQUIRE(r.status == 200);
    CHECK(r.header("Content-Type") == "application/json");
    const QJsonObject token = r.json.object();
    CHECK(token.value(QLatin1String("token_type")).toString() == QLatin1String("Bearer"));
    CHECK(token.value(QLatin1String("expires_in")).toInt() == 1234);
    CHECK(token.value(QLatin1String("scope")).toString() == QLatin1String("default"));
    CHECK_FALSE(token.value(QLatin1String("refresh_token")).toString().isEmpty());

    r = c.passwordGrant(
        QStringLiteral("codalab_cli_client"), QStringLiteral("codalab"), QStringLiteral("wrong"));
    CHECK(r.status == 401); // oauthlib 2.1, as upstream: `cl` reads only a 401 as a wrong password
    CHECK(r.json.object().value(QLatin1String("error")).toString() == QLatin1String("invalid_grant"));
    r = c.passwordGrant(QStringLiteral("codalab_cli_client"), QStringLiteral("nobody"), f.password);
    CHECK(r.status == 401);
    r = c.passwordGrant(QStringLiteral("some_other_client"), QStringLiteral("codalab"), f.password);
    CHECK(r.status == 401);
    CHECK(r.json.object().value(QLatin1String("error")).toString() == QLatin1String("invalid_client"));
    r = c.send("POST", QStringLiteral("/rest/oauth2/token"), "grant_type=client_credentials",
        "application/x-www-form-urlencoded",
        { { "Authorization", "Basic " + QByteArray("codalab_cli_client:").toBase64() } });
    CHECK(r.status == 400);
    CHECK(
        r.json.object().value(QLatin1String("error")).toString() == QLatin1String("unsupported_grant_type"));
}

TEST_CASE("one token per client and user, refresh replaces it, the CLI and worker tokens coexist",
    "[localserver][auth]")
{
    LocalServerFixture f;
    HttpTestClient cli = f.client();
    HttpTestClient worker = f.client();
    const QJsonObject first
        = cli.passwordGrant(QStringLiteral("codalab_cli_client"), QStringLiteral("codalab"), f.password)
              .json.object();
    const QJsonObject workerToken
        = worker.passwordGrant(QStringLiteral("codalab_worker_client"), QStringLiteral("codalab"), f.password)
              .json.object();
    worker.setToken(workerToken.value(QLatin1String("access_token")).toString());
    cli.setToken(first.value(QLatin1String("access_token")).toString());
    CHECK(cli.get(QStringLiteral("/rest/user")).status == 200);
    CHECK(worker.get(QStringLiteral("/rest/user")).status == 200);

    QByteArray form = "grant_type=refresh_token&refresh_token="
        + QUrl::toPercentEncoding(first.value(QLatin1String("refresh_token")).toString());
    const auto basic = [](const char *client) {
        return QList<QPair<QByteArray, QByteArray>> { { "Authorization",
            "Basic " + QByteArray(client).append(':').toBase64() } };
    };
    HttpResult wrongClient = cli.send("POST", QStringLiteral("/rest/oauth2/token"), form,
        "application/x-www-form-urlencoded", basic("codalab_worker_client"));
    CHECK(wrongClient.status == 401); // invalid_grant: not this client's refresh token
    HttpResult refreshed = cli.send("POST", QStringLiteral("/rest/oauth2/token"), form,
        "application/x-www-form-urlencoded", basic("codalab_cli_client"));
    REQUIRE(refreshed.status == 200);
    const QString second = refreshed.json.object().value(QLatin1String("access_token")).toString();
    CHECK(second != first.value(QLatin1String("access_token")).toString());

    CHECK(cli.get(QStringLiteral("/rest/user")).status == 401); // the old access token went
    cli.setToken(second);
    CHECK(cli.get(QStringLiteral("/rest/user")).status == 200);
    CHECK(worker.get(QStringLiteral("/rest/user")).status == 200); // the worker's own token is untouched
    // A used refresh token is gone with its token: 401, the CLI's cue to log in with the password again.
    CHECK(cli.send("POST", QStringLiteral("/rest/oauth2/token"), form, "application/x-www-form-urlencoded",
                 basic("codalab_cli_client"))
              .status
        == 401);
}

TEST_CASE("an expired token is refused", "[localserver][auth]")
{
    // Expiry is kept in whole seconds: a 1 s token made late in a second may be gone by the first request,
    // so the token lives 3 s (at least 2 s) and the test waits past its end.
    LocalServerFixture f(3);
    auto c = f.root();
    CHECK(c->get(QStringLiteral("/rest/user")).status == 200);
    QTest::qWait(4100);
    const HttpResult r = c->get(QStringLiteral("/rest/user"));
    CHECK(r.status == 401);
}

TEST_CASE("no token: 401 for scripts, a login redirect for browsers, /rest/user describes the caller",
    "[localserver][auth]")
{
    LocalServerFixture f;
    HttpTestClient anonymous = f.client();
    HttpResult r = anonymous.get(QStringLiteral("/rest/user"));
    CHECK(r.status == 401);
    CHECK(r.header("Content-Type").startsWith("text/plain"));
    anonymous.setToken(QStringLiteral("made-up"));
    CHECK(anonymous.get(QStringLiteral("/rest/bundles")).status == 401);
    anonymous.setRequestedWith(false);
    r = anonymous.get(QStringLiteral("/rest/user"));
    CHECK(r.status == 302);
    CHECK(r.header("Location") == "/account/login?next=%2Frest%2Fuser");

    auto root = f.root();
    r = root->get(QStringLiteral("/rest/user"));
    REQUIRE(r.status == 200);
    CHECK(r.header("Content-Type") == "application/json");
    const QJsonObject data = r.json.object().value(QLatin1String("data")).toObject();
    CHECK(data.value(QLatin1String("type")).toString() == QLatin1String("users"));
    CHECK(data.value(QLatin1String("id")).toString() == QLatin1String("0"));
    CHECK(data.value(QLatin1String("attributes")).toObject().value(QLatin1String("user_name")).toString()
        == QLatin1String("codalab"));
    CHECK(data.value(QLatin1String("attributes")).toObject().value(QLatin1String("is_root_user")).toBool());
}

TEST_CASE("added users log in with their own password, names are checked", "[localserver][auth]")
{
    LocalServerFixture f;
    QString error;
    const QString password = f.server->addUser(QStringLiteral("alice"), &error);
    REQUIRE_FALSE(password.isEmpty());
    HttpTestClient alice = f.client();
    alice.login(QStringLiteral("alice"), password);
    const HttpResult r = alice.get(QStringLiteral("/rest/user"));
    CHECK(r.json.object()[QLatin1String("data")]
              .toObject()[QLatin1String("attributes")]
              .toObject()[QLatin1String("is_root_user")]
              .toBool()
        == false);
    CHECK(f.server->addUser(QStringLiteral("alice"), &error).isEmpty());
    CHECK(error.contains(QLatin1String("already exists")));
    CHECK(f.server->addUser(QStringLiteral("bad name"), &error).isEmpty());
}

TEST_CASE("unknown routes are 404 and wrong methods 405, as plain text", "[localserver][http]")
{
    LocalServerFixture f;
    auto root = f.root();
    HttpResult r = root->get(QStringLiteral("/rest/nothing-here"));
    CHECK(r.status == 404);
    CHECK(r.body == "Not found: '/rest/nothing-here'");
    r = root->get(QStringLiteral("/rest/bundles/0x123"));
    CHECK(r.status == 404);
    r = root->send("PUT", QStringLiteral("/rest/user"), {}, {});
    CHECK(r.status == 405);
}

TEST_CASE("the codalab-local-server executable prints its URL and serves", "[localserver][app]")
{
    QTemporaryDir dir;
    QProcess server;
    server.start(QStringLiteral(CODALAB_LOCAL_SERVER_BIN),
        { QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--port"), QStringLiteral("0") });
    REQUIRE(server.waitForStarted());
    QByteArray output;
    REQUIRE(QTest::qWaitFor(
        [&] {
            output += server.readAllStandardOutput();
            return output.contains("Created user codalab");
        },
        20000));
    const QRegularExpressionMatch url
        = QRegularExpression(QStringLiteral("listening on (http://127\\.0\\.0\\.1:\\d+)"))
              .match(QString::fromUtf8(output));
    REQUIRE(url.hasMatch());
    const QRegularExpressionMatch pw
        = QRegularExpression(QStringLiteral("with password (\\S+)")).match(QString::fromUtf8(output));
    REQUIRE(pw.hasMatch());
    HttpTestClient c { QUrl(url.captured(1)) };
    c.login(QStringLiteral("codalab"), pw.captured(1));
    CHECK(c.get(QStringLiteral("/rest/user")).status == 200);
    server.terminate();
    REQUIRE(server.waitForFinished(10000));

    QProcess add;
    add.start(QStringLiteral(CODALAB_LOCAL_SERVER_BIN),
        { QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--add-user"), QStringLiteral("bob") });
    REQUIRE(add.waitForFinished(20000));
    CHECK(add.exitCode() == 0);
    CHECK(add.readAllStandardOutput().startsWith("Added user bob with password "));
}
