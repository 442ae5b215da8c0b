// SPDX-License-Identifier: GPL-3.0-or-later
// ResultUploader against codalab-local-server, and against scripted servers for what a real one will not
// do on demand (5xx bursts, 4xx, a closed port, a stalled or silent server).
#include "localserver/localserverfixture.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "support/codalabtestdata.h"
#include "util/safearchive.h"
#include "worker/resultuploader.h"

#include <QBuffer>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QMap>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThreadPool>
#include <QTimer>

#include <cstdio>

using namespace codalab;
using codalab::server::ApiError;
using codalab::worker::ResultUploader;

namespace {

const QString Uuid = QStringLiteral("0x") + QString(32, QLatin1Char('a'));

void writeFile(const QString &path, const QByteArray &data)
{
    REQUIRE(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    REQUIRE(file.write(data) == data.size());
}

QByteArray randomBytes(qint64 size)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(data.data()), size / 4);
    return data;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

/// A run directory with what the exclude patterns `*.tmp` and `cache` must keep out, next to what stays.
struct RunDir
{
    QTemporaryDir parent;
    QString path = parent.filePath(QStringLiteral("0xrun"));

    RunDir()
    {
        writeFile(path + QStringLiteral("/stdout"), "hello\n");
        writeFile(path + QStringLiteral("/stderr"), QByteArray());
        writeFile(path + QStringLiteral("/data/a.txt"), "a\n");
        writeFile(path + QStringLiteral("/data/nested/deep/b.bin"), randomBytes(100000));
        REQUIRE(QDir(path).mkpath(QStringLiteral("empty")));
        REQUIRE(QFile::link(QStringLiteral("data/a.txt"), path + QStringLiteral("/latest")));
        writeFile(path + QStringLiteral("/x.tmp"), "excluded");
        writeFile(path + QStringLiteral("/data/y.tmp"), "excluded");
        writeFile(path + QStringLiteral("/cache/pip/wheel"), "excluded");
        writeFile(path + QStringLiteral("/data/cache"), "excluded");
    }
    /// What is left next to the run directory: nothing once an upload is over.
    QStringList leftovers() const
    {
        return QDir(parent.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    }
};

const QStringList Excludes { QStringLiteral("*.tmp"), QStringLiteral("cache") };

/// What `RunDir` uploads as: path → type (and a link's target).
const QMap<QString, QString> ExpectedTree { { QStringLiteral("stdout"), QStringLiteral("file") },
    { QStringLiteral("stderr"), QStringLiteral("file") },
    { QStringLiteral("data"), QStringLiteral("directory") },
    { QStringLiteral("data/a.txt"), QStringLiteral("file") },
    { QStringLiteral("data/nested"), QStringLiteral("directory") },
    { QStringLiteral("data/nested/deep"), QStringLiteral("directory") },
    { QStringLiteral("data/nested/deep/b.bin"), QStringLiteral("file") },
    { QStringLiteral("empty"), QStringLiteral("directory") },
    { QStringLiteral("latest"), QStringLiteral("link -> data/a.txt") } };

void collectTree(const QJsonArray &contents, const QString &prefix, QMap<QString, QString> *tree)
{
    for (const QJsonValue &value : contents) {
        const QJsonObject node = value.toObject();
        const QString path = prefix + node[QLatin1String("name")].toString();
        const QString type = node[QLatin1String("type")].toString();
        tree->insert(path,
            type == QLatin1String("link")
                ? QStringLiteral("link -> ") + node[QLatin1String("link")].toString()
                : type);
        collectTree(node[QLatin1String("contents")].toArray(), path + QLatin1Char('/'), tree);
    }
}

/// The same tree read from a tar.gz, as the server would unpack it.
QMap<QString, QString> archiveTree(const QByteArray &archive)
{
    QBuffer buffer;
    buffer.setData(archive);
    buffer.open(QIODevice::ReadOnly);
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("x"));
    const util::ArchiveResult result = util::SafeArchive::extract(&buffer, target);
    INFO(result.error.toStdString());
    REQUIRE(result.ok);
    QMap<QString, QString> tree;
    QDirIterator it(target, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        const QString path = QDir(target).relativeFilePath(info.filePath());
        tree.insert(path,
            info.isSymLink() ? QStringLiteral("link -> ") + info.dir().relativeFilePath(info.symLinkTarget())
                             : (info.isDir() ? QStringLiteral("directory") : QStringLiteral("file")));
    }
    return tree;
}

/// An HTTP/1.1 server that keeps each request (head, Content-Length body) and answers from a script; the
/// last answer repeats. `stall` stops reading the body after the head, `silent` reads it and never answers.
class ScriptedServer
{
public:
    struct Answer
    {
        int status = 200;
        QByteArray body = "{}";
        bool stall = false;
        bool silent = false;
    };
    struct Request
    {
        QByteArray head;
        QByteArray body;
        qint64 bodySize = 0;
    };

    explicit ScriptedServer(QList<Answer> script, bool keepBodies = true)
        : m_script(std::move(script))
        , m_keepBodies(keepBodies)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                accept(socket);
            }
        });
    }

    bool listen(quint16 port = 0) { return m_server.listen(QHostAddress::LocalHost, port); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }

    QList<Request> requests;
    int disconnects = 0;

private:
    struct Connection
    {
        QByteArray buffer;
        Request request;
        qint64 remaining = -1; // -1: the head is not complete yet
    };

    void accept(QTcpSocket *socket)
    {
        socket->setReadBufferSize(64 * 1024); // so a stalled body backs up to the sender
        auto connection = std::make_shared<Connection>();
        QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, socket] {
            ++disconnects;
            socket->deleteLater();
        });
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, connection] {
            const Answer &answer = m_script.at(qMin(int(requests.size()), int(m_script.size()) - 1));
            if (connection->remaining >= 0 && answer.stall) {
                return;
            }
            connection->buffer += socket->readAll();
            if (connection->remaining < 0) {
                const qsizetype end = connection->buffer.indexOf("\r\n\r\n");
                if (end < 0) {
                    return;
                }
                connection->request.head = connection->buffer.left(end + 4);
                connection->buffer.remove(0, end + 4);
                const QByteArray lower = connection->request.head.toLower();
                const qsizetype at = lower.indexOf("\r\ncontent-length: ");
                connection->remaining = at < 0 ? 0 : lower.mid(at + 18).split('\r').first().toLongLong();
            }
            const qint64 take = qMin<qint64>(connection->remaining, connection->buffer.size());
            if (m_keepBodies) {
                connection->request.body += connection->buffer.left(take);
            }
            connection->request.bodySize += take;
            connection->buffer.remove(0, take);
            connection->remaining -= take;
            if (connection->remaining > 0 || answer.stall) {
                return;
            }
            requests.append(connection->request);
            if (!answer.silent) {
                socket->write("HTTP/1.1 " + QByteArray::number(answer.status)
                    + " Scripted\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: "
                    + QByteArray::number(answer.body.size()) + "\r\n\r\n" + answer.body);
                socket->disconnectFromHost();
            }
        });
    }

    QTcpServer m_server;
    QList<Answer> m_script;
    bool m_keepBodies;
};

/// A connection to a scripted server with a fixed token.
struct Client
{
    QNetworkAccessManager nam;
    server::ServerConnection connection { &nam };
    server::TokenManager tokens { &connection, QStringLiteral("codalab_worker_client"),
        server::TokenManager::Mode::Relogin };

    explicit Client(const QString &url)
    {
        QString error;
        REQUIRE(connection.setServerUrl(url, &error));
        tokens.setToken(QStringLiteral("worker-token"), {}, QDateTime::currentSecsSinceEpoch() + 3600);
        connection.setTokenManager(&tokens);
    }
};

ApiError finishedError(const QSignalSpy &spy)
{
    REQUIRE(spy.size() == 1);
    return spy.first().first().value<ApiError>();
}

} // namespace

TEST_CASE("a run directory uploads to codalab-local-server as the bundle's contents", "[worker][upload]")
{
    test::LocalServerFixture f;
    auto user = f.root();
    const QString uuid = test::createDataset(*user, QStringLiteral("results"));
    QNetworkAccessManager nam;
    server::ServerConnection connection(&nam);
    QString error;
    REQUIRE(connection.setServerUrl(f.server->url(), &error));
    server::TokenManager tokens(
        &connection, QStringLiteral("codalab_worker_client"), server::TokenManager::Mode::Relogin);
    tokens.setCredentials(QStringLiteral("codalab"), f.password);
    connection.setTokenManager(&tokens);
    RunDir run;
    writeFile(run.parent.filePath(QStringLiteral(".0xrun.upload-Ab12Cd")), "left by a killed worker");

    ResultUploader uploader(&connection, uuid, run.path, Excludes, QString());
    QSignalSpy finished(&uploader, &ResultUploader::finished);
    QSignalSpy progress(&uploader, &ResultUploader::progress);
    uploader.start();
    REQUIRE(finished.wait(60000));
    const ApiError result = finishedError(finished);
    INFO(result.message.toStdString());
    REQUIRE_FALSE(result);
    CHECK(uploader.attempts() == 1);
    CHECK(uploader.archiveSize() > 0);
    CHECK(uploader.bytesSent() == uploader.archiveSize());
    REQUIRE_FALSE(progress.isEmpty());
    CHECK(progress.last().first().toLongLong() == uploader.archiveSize());
    CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") }); // packed archives are gone

    const test::HttpResult info
        = user->get(QStringLiteral("/rest/bundles/%1/contents/info/?depth=10").arg(uuid));
    REQUIRE(info.status == 200);
    QMap<QString, QString> tree;
    collectTree(info.json.object()[QLatin1String("data")].toObject()[QLatin1String("contents")].toArray(),
        QString(), &tree);
    CHECK(tree == ExpectedTree);
    CHECK(user->get(QStringLiteral("/rest/bundles/%1/contents/blob/data/nested/deep/b.bin").arg(uuid)).body
        == readFile(run.path + QStringLiteral("/data/nested/deep/b.bin")));
    CHECK(user->get(QStringLiteral("/rest/bundles/%1/contents/blob/stdout").arg(uuid)).body == "hello\n");
    // finalize_on_success=0: the contents changed, the state did not.
    const test::HttpResult bundle = user->get(QStringLiteral("/rest/bundles/%1").arg(uuid));
    CHECK(bundle.json.object()[QLatin1String("data")]
              .toObject()[QLatin1String("attributes")]
              .toObject()[QLatin1String("state")]
              .toString()
        != QLatin1String("ready"));
}

TEST_CASE("codalab-local-server takes a chunked upload, as upstream's worker sends it", "[worker][upload]")
{
    test::LocalServerFixture f;
    auto user = f.root();
    const QString uuid = test::createDataset(*user, QStringLiteral("chunked"));
    RunDir run;
    QBuffer archive;
    archive.open(QIODevice::WriteOnly);
    REQUIRE(util::SafeArchive::create(run.path, &archive, Excludes).ok);
    QByteArray request = "PUT /rest/bundles/" + uuid.toLatin1()
        + "/contents/blob/?filename=bundle.tar.gz&finalize_on_success=0&store= HTTP/1.1\r\nHost: "
          "127.0.0.1\r\n"
          "Authorization: Bearer "
        + user->token().toLatin1()
        + "\r\nX-Requested-With: XMLHttpRequest\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    const QByteArray &body = archive.data();
    for (qsizetype at = 0; at < body.size(); at += 16384) { // upstream's 16 KiB chunks
        const QByteArray chunk = body.mid(at, 16384);
        request += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    }
    request += "0\r\n\r\n";
    const QByteArray answer = user->raw(request);
    INFO(answer.left(500).toStdString());
    REQUIRE(answer.startsWith("HTTP/1.1 200"));
    const test::HttpResult info
        = user->get(QStringLiteral("/rest/bundles/%1/contents/info/?depth=10").arg(uuid));
    QMap<QString, QString> tree;
    collectTree(info.json.object()[QLatin1String("data")].toObject()[QLatin1String("contents")].toArray(),
        QString(), &tree);
    CHECK(tree == ExpectedTree);
}

TEST_CASE(
    "server errors are retried with a doubling pause and the whole archive each time", "[worker][upload]")
{
    ScriptedServer server({ { 500, "database is locked" }, { 503, "busy" }, { 200, "{}" } });
    REQUIRE(server.listen());
    Client client(server.url());
    RunDir run;
    ResultUploader uploader(&client.connection, Uuid, run.path, Excludes, QStringLiteral("fast-disk"));
    uploader.setRetryPolicy(5, 10, 15);
    QSignalSpy failed(&uploader, &ResultUploader::attemptFailed);
    QSignalSpy finished(&uploader, &ResultUploader::finished);
    uploader.start();
    REQUIRE(finished.wait(30000));
    CHECK_FALSE(finishedError(finished));
    CHECK(uploader.attempts() == 3);
    REQUIRE(failed.size() == 2);
    CHECK(failed[0][0].value<ApiError>().kind == ApiError::Kind::Server);
    CHECK(failed[0][0].value<ApiError>().message == QLatin1String("database is locked"));
    CHECK(failed[0][1].toInt() == 1);
    CHECK(failed[0][2].toInt() == 10);
    CHECK(failed[1][0].value<ApiError>().httpStatus == 503);
    CHECK(failed[1][1].toInt() == 2);
    CHECK(failed[1][2].toInt() == 15); // doubled, and capped at maxDelayMs
    REQUIRE(server.requests.size() == 3);
    const ScriptedServer::Request &first = server.requests.first();
    CHECK(first.head.startsWith(QByteArray("PUT /rest/bundles/" + Uuid.toLatin1()
        + "/contents/blob/?filename=bundle.tar.gz&finalize_on_success=0&store=fast-disk HTTP/1.1\r\n")));
    CHECK(first.head.contains("\r\nAuthorization: Bearer worker-token\r\n"));
    CHECK(first.head.contains("\r\nX-Requested-With: XMLHttpRequest\r\n"));
    CHECK(first.bodySize == uploader.archiveSize());
    for (const ScriptedServer::Request &r : std::as_const(server.requests)) {
        CHECK(r.body == first.body); // each retry sends the archive again from its start
    }
    CHECK(archiveTree(first.body) == ExpectedTree);
    CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") });
}

TEST_CASE("a 4xx is final at once, with the server's message", "[worker][upload]")
{
    ScriptedServer server({ { 400, "Disk quota exceeded for user codalab" } });
    REQUIRE(server.listen());
    Client client(server.url());
    RunDir run;
    ResultUploader uploader(&client.connection, Uuid, run.path, Excludes, QString());
    uploader.setRetryPolicy(5, 10, 100);
    QSignalSpy failed(&uploader, &ResultUploader::attemptFailed);
    QSignalSpy finished(&uploader, &ResultUploader::finished);
    uploader.start();
    REQUIRE(finished.wait(30000));
    const ApiError error = finishedError(finished);
    CHECK(error.kind == ApiError::Kind::Client);
    CHECK(error.httpStatus == 400);
    CHECK(error.message == QLatin1String("Disk quota exceeded for user codalab"));
    CHECK(uploader.attempts() == 1);
    CHECK(failed.isEmpty());
    CHECK(server.requests.size() == 1);
    CHECK(server.requests.first().head.contains("&store= HTTP/1.1")); // no store: an empty one
    CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") });
}

TEST_CASE("an unreachable server is retried until it appears, or until maxAttempts", "[worker][upload]")
{
    quint16 port = 0;
    {
        QTcpServer probe; // a port that was free a moment ago and is closed now
        REQUIRE(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    Client client(QStringLiteral("http://127.0.0.1:%1").arg(port));
    RunDir run;

    SECTION("the server comes up")
    {
        ResultUploader uploader(&client.connection, Uuid, run.path, Excludes, QString());
        uploader.setRetryPolicy(1000, 10, 40);
        QSignalSpy failed(&uploader, &ResultUploader::attemptFailed);
        QSignalSpy finished(&uploader, &ResultUploader::finished);
        uploader.start();
        REQUIRE(QTest::qWaitFor([&] { return failed.size() >= 2; }, 30000));
        CHECK(failed.first().first().value<ApiError>().kind == ApiError::Kind::Network);
        CHECK(finished.isEmpty());
        ScriptedServer server({ { 200, "{}" } });
        REQUIRE(server.listen(port));
        REQUIRE(finished.wait(30000));
        CHECK_FALSE(finishedError(finished));
        CHECK(uploader.attempts() == failed.size() + 1);
        REQUIRE(server.requests.size() == 1);
        CHECK(archiveTree(server.requests.first().body) == ExpectedTree);
    }
    SECTION("it does not, and the uploader gives up")
    {
        ResultUploader uploader(&client.connection, Uuid, run.path, Excludes, QString());
        uploader.setRetryPolicy(3, 5, 10);
        QSignalSpy failed(&uploader, &ResultUploader::attemptFailed);
        QSignalSpy finished(&uploader, &ResultUploader::finished);
        uploader.start();
        REQUIRE(finished.wait(30000));
        CHECK(finishedError(finished).kind == ApiError::Kind::Network);
        CHECK(uploader.attempts() == 3);
        CHECK(failed.size() == 2);
    }
    CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") });
}

TEST_CASE("a server that never answers times out, and that is retried", "[worker][upload]")
{
    ScriptedServer server({ { 200, "{}", false, true } });
    REQUIRE(server.listen());
    Client client(server.url());
    RunDir run;
    ResultUploader uploader(&client.connection, Uuid, run.path, Excludes, QString());
    uploader.setRetryPolicy(2, 10, 10);
    uploader.setTransferTimeoutMs(300);
    QSignalSpy failed(&uploader, &ResultUploader::attemptFailed);
    QSignalSpy finished(&uploader, &ResultUploader::finished);
    uploader.start();
    REQUIRE(finished.wait(30000));
    CHECK(finishedError(finished).kind == ApiError::Kind::Timeout);
    REQUIRE(failed.size() == 1);
    CHECK(failed.first().first().value<ApiError>().kind == ApiError::Kind::Timeout);
    CHECK(server.requests.size() == 2);
}

TEST_CASE("a cancelled upload stops, emits nothing more and leaves nothing behind", "[worker][upload]")
{
    ScriptedServer server({ { 200, "{}", true } }); // reads the head, then lets the body back up
    REQUIRE(server.listen());
    Client client(server.url());
    RunDir run;
    writeFile(run.path + QStringLiteral("/weights.bin"), randomBytes(32 << 20));

    SECTION("while sending")
    {
        ResultUploader uploader(&client.connection, Uuid, run.path, Excludes, QString());
        QSignalSpy progress(&uploader, &ResultUploader::progress);
        QSignalSpy finished(&uploader, &ResultUploader::finished);
        QSignalSpy failed(&uploader, &ResultUploader::attemptFailed);
        uploader.start();
        REQUIRE(QTest::qWaitFor([&] { return uploader.bytesSent() > 0; }, 60000));
        CHECK(uploader.bytesSent() < uploader.archiveSize()); // mid-body
        uploader.cancel();
        CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") });
        REQUIRE(QTest::qWaitFor([&] { return server.disconnects == 1; }, 10000)); // the connection closed
        QTest::qWait(100);
        CHECK(finished.isEmpty());
        CHECK(failed.isEmpty());
        uploader.cancel(); // twice is harmless
    }
    SECTION("while packing, or by deleting the uploader")
    {
        for (int round = 0; round < 2; ++round) {
            auto uploader
                = std::make_unique<ResultUploader>(&client.connection, Uuid, run.path, Excludes, QString());
            QSignalSpy finished(uploader.get(), &ResultUploader::finished);
            uploader->start();
            if (round == 0) {
                uploader->cancel();
            } else {
                uploader.reset();
            }
            QThreadPool::globalInstance()->waitForDone(); // packing stops early and removes its file
            QTest::qWait(50);
            CHECK(finished.isEmpty());
            CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") });
        }
        CHECK(server.requests.isEmpty());
    }
}

TEST_CASE("bad input fails the upload with a clear message", "[worker][upload]")
{
    Client client(QStringLiteral("http://127.0.0.1:9"));
    RunDir run;
    const auto outcome = [](ResultUploader &uploader) {
        QSignalSpy finished(&uploader, &ResultUploader::finished);
        uploader.start();
        REQUIRE(finished.wait(30000));
        CHECK(uploader.attempts() == 0);
        return finishedError(finished);
    };
    ResultUploader missing(&client.connection, Uuid, run.path + QStringLiteral("/nothing"), {}, QString());
    ApiError error = outcome(missing);
    CHECK(error.kind == ApiError::Kind::Client);
    CHECK(error.message.contains(QLatin1String("not a directory")));
    ResultUploader badUuid(&client.connection, QStringLiteral("0xABC"), run.path, {}, QString());
    error = outcome(badUuid);
    CHECK(error.kind == ApiError::Kind::Client);
    CHECK(error.message.contains(QLatin1String("'0xABC' is not a bundle UUID")));
    QNetworkAccessManager nam;
    server::ServerConnection nowhere(&nam);
    ResultUploader noServer(&nowhere, Uuid, run.path, {}, QString());
    CHECK(outcome(noServer).kind == ApiError::Kind::InvalidUrl);
    CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") });
}

#ifdef __SANITIZE_ADDRESS__
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace {

qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) {
        return 0;
    }
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) {
            return line.mid(6).trimmed().split(' ').first().toLongLong();
        }
    }
    return 0;
}

// What the test bounds. Under ASan the live heap: its quarantine keeps up to 256 MB of freed blocks
// resident, so the RSS of an ASan build grows with everything allocated and freed, bounded or not.
qint64 inUseKiB()
{
#ifdef __SANITIZE_ADDRESS__
    return qint64(__sanitizer_get_current_allocated_bytes() / 1024);
#else
    return residentKiB();
#endif
}

} // namespace

TEST_CASE("a 200 MB run directory uploads with bounded memory", "[worker][upload][large]")
{
    ScriptedServer server({ { 200, "{}" } }, false); // counts the body and keeps none of it
    REQUIRE(server.listen());
    Client client(server.url());
    QTemporaryDir parent;
    const QString dir = parent.filePath(QStringLiteral("run"));
    for (int i = 0; i < 4; ++i) { // 100 MB that gzip cannot shrink
        QFile file(dir + QStringLiteral("/random%1.bin").arg(i));
        REQUIRE(QDir().mkpath(dir));
        REQUIRE(file.open(QIODevice::WriteOnly));
        for (int mb = 0; mb < 25; ++mb) {
            REQUIRE(file.write(randomBytes(1 << 20)) == 1 << 20);
        }
    }
    QFile sparse(dir + QStringLiteral("/sparse.bin")); // and 100 MB of holes
    REQUIRE(sparse.open(QIODevice::WriteOnly));
    REQUIRE(sparse.resize(qint64(100) << 20));
    sparse.close();

    ResultUploader uploader(&client.connection, Uuid, dir, {}, QString());
    QSignalSpy finished(&uploader, &ResultUploader::finished);
    const qint64 rssBefore = residentKiB();
    const qint64 inUseBefore = inUseKiB();
    qint64 rssPeak = rssBefore;
    qint64 inUsePeak = inUseBefore;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        rssPeak = qMax(rssPeak, residentKiB());
        inUsePeak = qMax(inUsePeak, inUseKiB());
    });
    sampler.start(5);
    uploader.start();
    REQUIRE(finished.wait(300000));
    sampler.stop();
    CHECK_FALSE(finishedError(finished));
    REQUIRE(server.requests.size() == 1);
    CHECK(server.requests.first().bodySize == uploader.archiveSize());
    CHECK(uploader.archiveSize() > qint64(100) << 20);
    std::printf("Uploaded 200 MB (archive %lld bytes): peak RSS growth %lld KiB, peak %s growth %lld KiB\n",
        static_cast<long long>(uploader.archiveSize()), static_cast<long long>(rssPeak - rssBefore),
#ifdef __SANITIZE_ADDRESS__
        "live heap",
#else
        "RSS",
#endif
        static_cast<long long>(inUsePeak - inUseBefore));
    INFO("peak growth " << (inUsePeak - inUseBefore) << " KiB");
    CHECK(inUsePeak - inUseBefore < 32 * 1024); // bounded: far from the 100 MB archive
    CHECK(QDir(parent.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot)
        == QStringList { QStringLiteral("run") });
}
