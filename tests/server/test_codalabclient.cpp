// SPDX-License-Identifier: GPL-3.0-or-later
// The REST client against codalab-local-server on 127.0.0.1, and against servers that misbehave.
#include "localserver/localserverfixture.h"
#include "server/codalabclient.h"
#include "server/runsubmission.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "support/clientsession.h"
#include "support/codalabtestdata.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace codalab;
using namespace codalab::server;
using codalab::test::LocalServerFixture;

namespace {

ApiResult wait(ApiJob *job, int timeoutMs = 30000)
{
    return codalab::test::waitApi(job, timeoutMs);
}

using Session = codalab::test::ClientSession;

QString userName(const ApiResult &r)
{
    return r.json.object()[QLatin1String("data")]
        .toObject()[QLatin1String("attributes")]
        .toObject()[QLatin1String("user_name")]
        .toString();
}

} // namespace

TEST_CASE("login with good and bad credentials", "[server][auth]")
{
    LocalServerFixture f;
    Session good(f.server->url(), QStringLiteral("codalab"), f.password);
    const ApiResult me = wait(good.client.currentUser());
    REQUIRE(me.ok());
    CHECK(userName(me) == QLatin1String("codalab"));
    CHECK(good.tokens.grantsIssued() == 1);

    Session bad(f.server->url(), QStringLiteral("codalab"), QStringLiteral("not-it"));
    QSignalSpy failed(&bad.tokens, &TokenManager::authenticationFailed);
    const ApiResult r = wait(bad.client.currentUser());
    CHECK(r.error.kind == ApiError::Kind::Authentication);
    CHECK(r.error.message.startsWith(QLatin1String("Wrong username or password for codalab")));
    CHECK(failed.size() == 1);
    CHECK(r.attempts == 1); // bad credentials are not retried
}

TEST_CASE(
    "tokens are refreshed before they run out, and concurrent calls share one refresh", "[server][auth]")
{
    LocalServerFixture f(500); // less than the GUI's 10-minute margin: every new call refreshes
    Session s(f.server->url(), QStringLiteral("codalab"), f.password);
    REQUIRE(wait(s.client.currentUser()).ok());
    CHECK(s.tokens.grantsIssued() == 1);

    std::vector<std::unique_ptr<QSignalSpy>> spies; // made before any can finish
    for (int i = 0; i < 5; ++i) {
        spies.push_back(std::make_unique<QSignalSpy>(s.client.currentUser(), &ApiJob::finished));
    }
    REQUIRE(QTest::qWaitFor(
        [&spies] {
            return std::all_of(spies.begin(), spies.end(), [](const auto &spy) { return !spy->isEmpty(); });
        },
        30000));
    for (const auto &spy : spies) {
        const ApiResult r = spy->first().first().value<ApiResult>();
        CHECK(r.ok());
        CHECK(userName(r) == QLatin1String("codalab"));
    }
    CHECK(s.tokens.grantsIssued() == 2); // one refresh served all five
}

TEST_CASE("an expired token is replaced by logging in again", "[server][auth]")
{
    LocalServerFixture f(2);
    Session worker(f.server->url(), QStringLiteral("codalab"), f.password, TokenManager::Mode::Relogin);
    worker.tokens.setMargin(0);
    REQUIRE(wait(worker.client.currentUser()).ok());
    QTest::qWait(2500);
    const ApiResult r = wait(worker.client.currentUser());
    CHECK(r.ok());
    CHECK(worker.tokens.grantsIssued() == 2);

    SECTION("a token the server dropped is replaced once, transparently")
    {
        worker.tokens.setMargin(0);
        worker.tokens.setClock([] { return qint64(0); }); // the client believes its token is fresh
        codalab::test::HttpTestClient other(QUrl(f.server->url()));
        // Another worker login with the same client id replaces (revokes) ours on the server.
        REQUIRE(
            other
                .passwordGrant(QStringLiteral("codalab_worker_client"), QStringLiteral("codalab"), f.password)
                .status
            == 200);
        const ApiResult again = wait(worker.client.currentUser());
        CHECK(again.ok());
        CHECK(worker.tokens.grantsIssued() == 3);
    }

    SECTION("a new token revoked again before it is used (many workers of one account) is fetched again")
    {
        worker.tokens.setMargin(0);
        worker.tokens.setClock([] { return qint64(0); });
        codalab::test::HttpTestClient other(QUrl(f.server->url()));
        const auto otherLogin = [&] {
            return other
                .passwordGrant(QStringLiteral("codalab_worker_client"), QStringLiteral("codalab"), f.password)
                .status;
        };
        REQUIRE(otherLogin() == 200);
        // Each of the next two tokens this client gets is revoked at once by another worker's login.
        int revoked = 0;
        QObject::connect(&worker.tokens, &TokenManager::tokenChanged, [&] {
            if (revoked < 2) {
                ++revoked;
                otherLogin();
            }
        });
        const ApiResult again = wait(worker.client.currentUser());
        INFO(again.error.message.toStdString());
        CHECK(again.ok());
        CHECK(revoked == 2);
        CHECK(worker.tokens.grantsIssued() == 5);
    }
}

TEST_CASE("a run with a dependency is submitted, found by search and killed", "[server][runs]")
{
    LocalServerFixture f;
    Session s(f.server->url(), QStringLiteral("codalab"), f.password);
    auto http = f.root();
    const QString dataset = codalab::test::createDataset(
        *http, QStringLiteral("mnist"), QStringLiteral("train.csv"), "0123456789");

    RunRequest request;
    request.command = QStringLiteral("wc -l data");
    request.dependencies = { *RunRequest::parseDependency(QStringLiteral("data:mnist"), nullptr) };
    request.queue = QStringLiteral("nowhere");
    RunSubmission *submission = s.client.submitRun(request);
    QSignalSpy done(submission, &RunSubmission::finished);
    REQUIRE(done.wait(30000));
    const ApiResult created = done.first().first().value<ApiResult>();
    INFO(created.error.message.toStdString());
    REQUIRE(created.ok());
    const QJsonObject bundle = created.json.object()[QLatin1String("data")].toArray().first().toObject();
    const QString uuid = bundle[QLatin1String("id")].toString();
    const QJsonArray deps
        = bundle[QLatin1String("attributes")].toObject()[QLatin1String("dependencies")].toArray();
    REQUIRE(deps.size() == 1);
    CHECK(deps.first().toObject()[QLatin1String("parent_uuid")].toString() == dataset);

    const ApiResult found = wait(s.client.search({ QStringLiteral(".mine"), QStringLiteral("name=run-wc") }));
    REQUIRE(found.ok());
    CHECK(found.json.object()[QLatin1String("data")]
              .toArray()
              .first()
              .toObject()[QLatin1String("id")]
              .toString()
        == uuid);

    const ApiResult bytes = wait(s.client.readRange(dataset, QString(), 2, 4));
    CHECK(bytes.body == "2345");
    CHECK(wait(s.client.tail(dataset, QString(), 1)).body == "0123456789");

    REQUIRE(wait(s.client.kill(uuid)).ok());
    const ApiResult after = wait(s.client.bundle(uuid));
    CHECK(after.json.object()[QLatin1String("data")]
              .toObject()[QLatin1String("attributes")]
              .toObject()[QLatin1String("state")]
              .toString()
        == QLatin1String("killed"));

    SECTION("an invalid request fails before anything is sent, and a missing dependency is named")
    {
        RunRequest bad;
        bad.command = QStringLiteral("true");
        bad.cpus = 0;
        QSignalSpy badDone(s.client.submitRun(bad), &RunSubmission::finished);
        REQUIRE(badDone.wait(5000));
        CHECK(badDone.first().first().value<ApiResult>().error.message.contains(QLatin1String("cpus:")));

        RunRequest missing;
        missing.command = QStringLiteral("true");
        missing.dependencies = { *RunRequest::parseDependency(QStringLiteral("x:no-such-bundle"), nullptr) };
        QSignalSpy missingDone(s.client.submitRun(missing), &RunSubmission::finished);
        REQUIRE(missingDone.wait(5000));
        const ApiError e = missingDone.first().first().value<ApiResult>().error;
        CHECK(e.kind == ApiError::Kind::Client);
        CHECK(e.message.startsWith(
            QLatin1String("Dependency x: bundle spec no-such-bundle doesn't match any bundles")));
    }
}

TEST_CASE("a server that is not there: network error, retried, then reported", "[server][errors]")
{
    QTcpServer probe;
    REQUIRE(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    Session s(
        QStringLiteral("http://127.0.0.1:%1").arg(port), QStringLiteral("codalab"), QStringLiteral("x"));
    ApiCall call;
    call.path = QStringLiteral("/user");
    call.authenticated = false;
    const ApiResult r = wait(s.connection.send(call));
    CHECK(r.error.kind == ApiError::Kind::Network);
    CHECK(
        r.error.message.startsWith(QStringLiteral("Cannot reach the CodaLab server 127.0.0.1:%1").arg(port)));
    CHECK(r.attempts == 3);
}

TEST_CASE("malformed JSON, a URL without a scheme and a TLS failure give clear errors", "[server][errors]")
{
    QTcpServer garbage;
    REQUIRE(garbage.listen(QHostAddress::LocalHost, 0));
    QObject::connect(&garbage, &QTcpServer::newConnection, [&garbage] {
        QTcpSocket *socket = garbage.nextPendingConnection();
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            socket->readAll();
            socket->write(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"data\": ");
            socket->flush();
        });
    });
    Session s(QStringLiteral("http://127.0.0.1:%1").arg(garbage.serverPort()), QStringLiteral("codalab"),
        QStringLiteral("x"));
    ApiCall call;
    call.path = QStringLiteral("/user");
    call.authenticated = false;
    ApiResult r = wait(s.connection.send(call));
    CHECK(r.error.kind == ApiError::Kind::MalformedJson);
    CHECK(r.error.message.startsWith(QLatin1String("The server's answer to /user is not valid JSON")));

    QNetworkAccessManager nam;
    ServerConnection c(&nam);
    QString error;
    CHECK_FALSE(c.setServerUrl(QStringLiteral("worksheets.codalab.org"), &error));
    CHECK(error.contains(QLatin1String("with its scheme")));
    CHECK_FALSE(c.setServerUrl(QStringLiteral("ftp://example.org"), &error));
    r = wait(c.send(call));
    CHECK(r.error.kind == ApiError::Kind::InvalidUrl);

    // TLS to a port that speaks plain HTTP: the handshake fails and is reported, never bypassed.
    LocalServerFixture f;
    REQUIRE(c.setServerUrl(QStringLiteral("https://127.0.0.1:%1").arg(f.server->port()), &error));
    c.setRetryDelayMs(10);
    r = wait(c.send(call));
    CHECK((r.error.kind == ApiError::Kind::Tls || r.error.kind == ApiError::Kind::Network));
    CHECK(r.attempts <= 3);
}

TEST_CASE("a cancelled call reports nothing", "[server]")
{
    LocalServerFixture f;
    Session s(f.server->url(), QStringLiteral("codalab"), f.password);
    ApiJob *job = s.client.currentUser();
    QSignalSpy finished(job, &ApiJob::finished);
    QSignalSpy destroyed(job, &QObject::destroyed);
    job->cancel();
    REQUIRE(destroyed.wait(5000));
    CHECK(finished.isEmpty());
}

TEST_CASE(
    "a server that accepts and never answers ends the call with a timeout, not silence", "[server][errors]")
{
    // Qt 6.4 ends a stalled transfer with OperationCanceledError; the job must still finish.
    QTcpServer silent;
    REQUIRE(silent.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket *> held;
    QObject::connect(&silent, &QTcpServer::newConnection, [&] { held << silent.nextPendingConnection(); });
    QNetworkAccessManager nam;
    ServerConnection connection(&nam);
    QString error;
    REQUIRE(connection.setServerUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort()), &error));
    ApiCall call;
    call.path = QStringLiteral("/user");
    call.authenticated = false;
    call.timeoutMs = 500;
    call.maxAttempts = 1;
    ApiJob *job = connection.send(call);
    QSignalSpy finished(job, &ApiJob::finished);
    REQUIRE(finished.wait(10000));
    const auto result = finished.first().first().value<ApiResult>();
    CHECK(result.error.kind == ApiError::Kind::Timeout);
    CHECK(result.error.isTransient());
}
