// SPDX-License-Identifier: GPL-3.0-or-later
// The worker side of the REST client, and following a run's output, against codalab-local-server.
#include "localserver/bundlestore.h"
#include "localserver/localserverfixture.h"
#include "server/codalabclient.h"
#include "server/contentsdownload.h"
#include "server/runfollower.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "server/workerapi.h"
#include "support/codalabtestdata.h"
#include "support/workersession.h"
#include "util/safearchive.h"
#include "util/tarbuilder.h"

#include <QDir>
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

ApiResult wait(ApiJob *job)
{
    return test::waitApi(job);
}

/// A worker session on the fixture's server.
struct WorkerSession : test::WorkerSession
{
    WorkerSession(const LocalServerFixture &f, const QString &id)
        : test::WorkerSession(f.server->url(), f.password, id)
    { }
};

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

} // namespace

TEST_CASE("a worker checks in, starts its run and replies through WorkerApi", "[server][worker]")
{
    LocalServerFixture f([](localserver::LocalServerConfig &c) { c.checkinWaitMs = 300; });
    WorkerSession w(f, QStringLiteral("desk top(1)")); // ids are URL-quoted
    auto user = f.root();
    const QJsonObject checkin { { QStringLiteral("cpus"), 2 }, { QStringLiteral("gpus"), 0 },
        { QStringLiteral("memory_bytes"), qint64(4) << 30 },
        { QStringLiteral("free_disk_bytes"), qint64(10) << 30 },
        { QStringLiteral("dependencies"), QJsonArray() }, { QStringLiteral("runs"), QJsonArray() } };
    ApiResult r = wait(w.api.checkin(checkin));
    REQUIRE(r.ok());
    CHECK(r.json.array() == QJsonArray { QJsonValue() });
    const QJsonArray workers
        = user->get(QStringLiteral("/rest/workers/info")).json.object()[QLatin1String("data")].toArray();
    REQUIRE(workers.size() == 1);
    CHECK(workers.first().toObject()[QLatin1String("worker_id")].toString() == QLatin1String("desk top(1)"));

    const QString ws = user->get(QStringLiteral("/rest/worksheets?specs=/"))
                           .json.object()[QLatin1String("data")]
                           .toArray()
                           .first()
                           .toObject()[QLatin1String("id")]
                           .toString();
    QNetworkAccessManager nam;
    ServerConnection userConnection(&nam);
    QString error;
    REQUIRE(userConnection.setServerUrl(f.server->url(), &error));
    TokenManager userTokens(
        &userConnection, QStringLiteral("codalab_cli_client"), TokenManager::Mode::Refresh);
    userTokens.setCredentials(QStringLiteral("codalab"), f.password);
    userConnection.setTokenManager(&userTokens);
    CodaLabClient client(&userConnection);
    RunRequest request;
    request.command = QStringLiteral("echo hi");
    REQUIRE(wait(client.createRun(request, ws)).ok());
    QJsonArray messages;
    for (int i = 0; i < 3 && messages.isEmpty(); ++i) {
        for (const QJsonValue &m : wait(w.api.checkin(checkin)).json.array()) {
            if (!m.isNull()) {
                messages.append(m);
            }
        }
    }
    REQUIRE(messages.size() == 1);
    const QString uuid
        = messages.first().toObject()[QLatin1String("bundle")].toObject()[QLatin1String("uuid")].toString();
    r = wait(w.api.startBundle(uuid, QStringLiteral("test-host"), 1700000000));
    REQUIRE(r.ok());
    CHECK(r.body == "true");
    CHECK(wait(w.api.startBundle(uuid, QStringLiteral("test-host"), 1700000000)).body == "false");
    CHECK(wait(w.api.reply(4242, QJsonObject {})).error.httpStatus == 403); // not a socket we were given
}

TEST_CASE("dependencies download as files or safely unpacked directories", "[server][worker][download]")
{
    LocalServerFixture f;
    WorkerSession w(f, QStringLiteral("w"));
    auto user = f.root();
    QTemporaryDir cache;
    const QString file
        = test::createDataset(*user, QStringLiteral("file"), QStringLiteral("data.csv"), "a,b\n1,2\n");
    const QString dir = test::createDataset(*user, QStringLiteral("dir"), QStringLiteral("d.tar.gz"),
        test::TarBuilder().file("./sub/x.txt", "x").file("./run.sh", "echo\n", 0755).finish());

    ContentsDownload *d = w.api.downloadDependency(file, QString(), cache.filePath(QStringLiteral("file")));
    QSignalSpy done(d, &ContentsDownload::finished);
    REQUIRE(done.wait(30000));
    CHECK_FALSE(done.first().first().value<ApiError>());
    CHECK(readFile(cache.filePath(QStringLiteral("file"))) == "a,b\n1,2\n");

    d = w.api.downloadDependency(dir, QString(), cache.filePath(QStringLiteral("dir")));
    QSignalSpy dirDone(d, &ContentsDownload::finished);
    REQUIRE(dirDone.wait(30000));
    INFO(dirDone.first().first().value<ApiError>().message.toStdString());
    CHECK_FALSE(dirDone.first().first().value<ApiError>());
    CHECK(readFile(cache.filePath(QStringLiteral("dir/sub/x.txt"))) == "x");
    CHECK(QFileInfo(cache.filePath(QStringLiteral("dir/run.sh"))).isExecutable());

    d = w.api.downloadDependency(dir, QStringLiteral("sub/x.txt"), cache.filePath(QStringLiteral("one")));
    QSignalSpy subDone(d, &ContentsDownload::finished);
    REQUIRE(subDone.wait(30000));
    CHECK(readFile(cache.filePath(QStringLiteral("one"))) == "x");

    d = w.api.downloadDependency(dir, QStringLiteral("nothing"), cache.filePath(QStringLiteral("none")));
    QSignalSpy missing(d, &ContentsDownload::finished);
    REQUIRE(missing.wait(30000));
    CHECK(missing.first().first().value<ApiError>().httpStatus == 404);
    CHECK(QDir(cache.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size()
        == 3); // no partial file left
}

TEST_CASE("a 303 to blob storage is followed without the Authorization header", "[server][worker][download]")
{
    // Storage answers the file and notes the headers it got; the "server" redirects to it.
    QTcpServer storage;
    REQUIRE(storage.listen(QHostAddress::LocalHost, 0));
    QByteArray storageRequest;
    QObject::connect(&storage, &QTcpServer::newConnection, [&] {
        QTcpSocket *s = storage.nextPendingConnection();
        QObject::connect(s, &QTcpSocket::readyRead, s, [s, &storageRequest] {
            storageRequest += s->readAll();
            if (storageRequest.contains("\r\n\r\n")) {
                s->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                         "6\r\n\r\nstored");
                s->disconnectFromHost();
            }
        });
    });
    QTcpServer server;
    REQUIRE(server.listen(QHostAddress::LocalHost, 0));
    QObject::connect(&server, &QTcpServer::newConnection, [&] {
        QTcpSocket *s = server.nextPendingConnection();
        QObject::connect(s, &QTcpSocket::readyRead, s, [s, &storage] {
            const QByteArray request = s->readAll();
            const QByteArray body = request.contains("/contents/info/")
                ? QByteArray(R"({"data": {"type": "file", "name": "x"}})")
                : QByteArray();
            if (body.isEmpty()) {
                s->write("HTTP/1.1 303 See Other\r\nLocation: http://127.0.0.1:"
                    + QByteArray::number(storage.serverPort())
                    + "/signed?sig=abc\r\nContent-Length: 0\r\n\r\n");
            } else {
                s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            }
        });
    });
    QNetworkAccessManager nam;
    ServerConnection connection(&nam);
    QString error;
    REQUIRE(connection.setServerUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort()), &error));
    TokenManager tokens(&connection, QStringLiteral("codalab_worker_client"), TokenManager::Mode::Relogin);
    tokens.setToken(QStringLiteral("secret-token"), {}, QDateTime::currentSecsSinceEpoch() + 3600);
    connection.setTokenManager(&tokens);
    WorkerApi api(&connection, QStringLiteral("w"));
    QTemporaryDir cache;
    ContentsDownload *d = api.downloadDependency(
        QStringLiteral("0x") + QString(32, QLatin1Char('1')), QString(), cache.filePath(QStringLiteral("f")));
    QSignalSpy done(d, &ContentsDownload::finished);
    REQUIRE(done.wait(30000));
    INFO(done.first().first().value<ApiError>().message.toStdString());
    CHECK_FALSE(done.first().first().value<ApiError>());
    CHECK(readFile(cache.filePath(QStringLiteral("f"))) == "stored");
    CHECK(storageRequest.startsWith("GET /signed?sig=abc "));
    CHECK_FALSE(storageRequest.toLower().contains("authorization"));
    CHECK_FALSE(storageRequest.contains("secret-token"));
}

TEST_CASE("results upload from a tar.gz on disk and become the bundle's contents", "[server][worker][upload]")
{
    LocalServerFixture f;
    WorkerSession w(f, QStringLiteral("w"));
    auto user = f.root();
    // Still being made (as a run is while its worker uploads): a finished bundle's contents are final.
    const QString uuid = test::createDataset(*user, QStringLiteral("results"));
    QTemporaryDir run;
    QDir(run.path()).mkpath(QStringLiteral("out"));
    QFile out(run.filePath(QStringLiteral("stdout")));
    REQUIRE(out.open(QIODevice::WriteOnly));
    out.write(QByteArray(3 * 1024 * 1024, 'o'));
    out.close();
    QFile cache(run.filePath(QStringLiteral("out/cache.pyc")));
    REQUIRE(cache.open(QIODevice::WriteOnly));
    cache.close();
    QTemporaryDir tmp;
    const QString archive = tmp.filePath(QStringLiteral("bundle.tar.gz"));
    REQUIRE(util::SafeArchive::create(run.path(), archive, { QStringLiteral("*.pyc") }).ok);
    const ApiResult r = wait(w.api.uploadResults(uuid, archive));
    INFO(r.body.toStdString());
    REQUIRE(r.ok());
    const auto info = user->get(QStringLiteral("/rest/bundles/%1/contents/info/?depth=2").arg(uuid));
    CHECK(info.json.object()[QLatin1String("data")].toObject()[QLatin1String("type")].toString()
        == QLatin1String("directory"));
    CHECK(user->get(QStringLiteral("/rest/bundles/%1/contents/blob/stdout").arg(uuid)).body.size()
        == 3 * 1024 * 1024);
    CHECK(user->get(QStringLiteral("/rest/bundles/%1/contents/info/out/cache.pyc").arg(uuid)).status == 404);
}

TEST_CASE("a run's stdout and stderr are followed while they grow, until it is final", "[server][follow]")
{
    LocalServerFixture f;
    auto user = f.root();
    // A run marked running with no worker: the server reads its own copy, which the test grows.
    localserver::BundleStore bundles(f.server->store());
    localserver::BundleRecord b;
    b.uuid = QStringLiteral("0x") + QString(32, QLatin1Char('f'));
    b.bundleType = QStringLiteral("run");
    b.ownerId = QStringLiteral("0");
    b.state = QStringLiteral("running");
    QString error;
    REQUIRE(bundles.insert(b, QString(), &error));
    const QString dir = f.dataDir.filePath(QStringLiteral("bundles/") + b.uuid);
    REQUIRE(QDir().mkpath(dir));
    QFile stdoutFile(dir + QStringLiteral("/stdout"));
    QFile stderrFile(dir + QStringLiteral("/stderr"));
    REQUIRE(stdoutFile.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
    REQUIRE(stderrFile.open(QIODevice::WriteOnly | QIODevice::Unbuffered));

    QNetworkAccessManager nam;
    ServerConnection connection(&nam);
    REQUIRE(connection.setServerUrl(f.server->url(), &error));
    TokenManager tokens(&connection, QStringLiteral("codalab_cli_client"), TokenManager::Mode::Refresh);
    tokens.setCredentials(QStringLiteral("codalab"), f.password);
    connection.setTokenManager(&tokens);
    CodaLabClient client(&connection);
    RunFollower follower(&client, b.uuid);
    follower.setIntervalMs(100);
    QByteArray seen[2];
    QObject::connect(&follower, &RunFollower::output,
        [&seen](int stream, const QByteArray &data) { seen[stream] += data; });
    QSignalSpy finished(&follower, &RunFollower::finished);
    follower.start();

    QByteArray expected;
    for (int i = 0; i < 10; ++i) {
        const QByteArray line = "line " + QByteArray::number(i) + ' ' + QByteArray(i * 5000, 'x') + '\n';
        expected += line;
        stdoutFile.write(line);
        if (i % 3 == 0) {
            stderrFile.write("warning " + QByteArray::number(i) + '\n');
        }
        QTest::qWait(60);
    }
    CHECK(finished.isEmpty()); // still running: still following
    REQUIRE(QTest::qWaitFor([&] { return seen[0].size() == expected.size(); }, 10000));
    b.state = QStringLiteral("ready");
    REQUIRE(bundles.update(b));
    REQUIRE(finished.wait(10000));
    CHECK(finished.first().first().toString() == QLatin1String("ready"));
    CHECK(seen[0] == expected); // every byte once, in order, across many 16 KiB reads
    CHECK(seen[1] == "warning 0\nwarning 3\nwarning 6\nwarning 9\n");
}
