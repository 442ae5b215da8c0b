// SPDX-License-Identifier: GPL-3.0-or-later
// The control socket as a file and a server: its mode, stale and live sockets, clients that fail, many
// clients and slow readers.
#include "worker/controltestsupport.h"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace codalab::worker;
using namespace codalab::test::control;

TEST_CASE("the control socket is mode 0600 and a parent directory it creates 0700", "[worker][control]")
{
    QTemporaryDir dir;
    const QString parent = dir.filePath(QStringLiteral("run/codalab"));
    ControlServer server(parent + QStringLiteral("/worker.sock"), testHandler());
    QString error;
    REQUIRE(server.listen(&error));
    const mode_t mode = modeOf(server.socketPath());
    CHECK(S_ISSOCK(mode));
    CHECK((mode & 07777) == 0600);
    CHECK((modeOf(parent) & 07777) == 0700);
    CHECK((modeOf(dir.filePath(QStringLiteral("run"))) & 07777) == 0700);
    // The private directory the socket was bound in is gone.
    CHECK(QDir(parent).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot)
        == QStringList { QStringLiteral("worker.sock") });
    CHECK_FALSE(server.listen(&error));
    CHECK(error.contains(QLatin1String("already listening")));
}

namespace {
/// connect(2) to a unix socket from a child process running as `uid`; the child's errno (0: connected).
int connectAs(uid_t uid, const QString &path)
{
    const QByteArray name = QFile::encodeName(path);
    const pid_t child = ::fork();
    if (child == 0) {
        // Only async-signal-safe calls between fork and _exit.
        if (::setgid(uid) != 0 || ::setuid(uid) != 0) {
            ::_exit(200);
        }
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        std::memcpy(
            address.sun_path, name.constData(), qMin<size_t>(name.size(), sizeof address.sun_path - 1));
        const int rc = ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address);
        ::_exit(rc == 0 ? 0 : errno);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
} // namespace

TEST_CASE("another user cannot open the control socket; its owner can", "[worker][control][hostile]")
{
    if (::geteuid() != 0) {
        WARN("skipped: needs root to connect as another user");
        return;
    }
    QTemporaryDir dir;
    // Let everyone through the temporary directory itself, so only the socket's own mode can stop them.
    REQUIRE(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
    ControlServer server(dir.filePath(QStringLiteral("worker.sock")), testHandler());
    REQUIRE(server.listen(nullptr));
    CHECK(connectAs(65534, server.socketPath()) == EACCES); // nobody
    CHECK(connectAs(0, server.socketPath()) == 0);
}

TEST_CASE("a stale socket file is replaced, a live one is refused and other files are left alone",
    "[worker][control]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("worker.sock"));
    {
        UnixFd stale; // bound, never listening, closed: what a crashed worker leaves behind
        REQUIRE(stale.bind(path));
    }
    REQUIRE(S_ISSOCK(modeOf(path)));
    auto first = std::make_unique<ControlServer>(path, testHandler());
    QString error;
    REQUIRE(first->listen(&error));

    ControlServer second(path, testHandler());
    CHECK_FALSE(second.listen(&error));
    CHECK(error == QStringLiteral("another worker is already listening on %1").arg(path));
    ControlClient client;
    connectClient(client, path);
    CHECK(waitCall(client.call(QStringLiteral("rpc.ping"))).result == QJsonValue(QStringLiteral("pong")));

    // Destroying the server closes its clients and removes the socket file.
    QSignalSpy gone(&client, &ControlClient::disconnected);
    first.reset();
    REQUIRE(gone.wait(WaitMs));
    CHECK_FALSE(QFileInfo::exists(path));

    // Not a socket: refused and untouched.
    const QString file = dir.filePath(QStringLiteral("notes.sock"));
    QFile notes(file);
    REQUIRE(notes.open(QIODevice::WriteOnly));
    notes.write("keep me");
    notes.close();
    ControlServer onFile(file, testHandler());
    CHECK_FALSE(onFile.listen(&error));
    CHECK(error.contains(QLatin1String("not a socket")));
    REQUIRE(notes.open(QIODevice::ReadOnly));
    CHECK(notes.readAll() == "keep me");

    // A socket file somebody else put in our place since is not ours to remove.
    {
        ControlServer replaced(path, testHandler());
        REQUIRE(replaced.listen(&error));
        REQUIRE(QFile::remove(path));
        QFile other(path);
        REQUIRE(other.open(QIODevice::WriteOnly));
    }
    CHECK(QFileInfo::exists(path));
}

TEST_CASE("the control client reports a clean error when no worker listens", "[worker][control]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("absent.sock"));
    ControlClient client;
    QSignalSpy errors(&client, &ControlClient::errorOccurred);
    client.connectToServer(path);
    ControlCall *early = client.call(QStringLiteral("status"));
    const CallResult failed = waitCall(early);
    CHECK(failed.error.code == ControlError::TransportError);
    CHECK(failed.error.message == QStringLiteral("worker not running at %1").arg(path));
    REQUIRE((errors.size() > 0 || errors.wait(WaitMs)));
    CHECK(errors.at(0).at(0).toString() == QStringLiteral("worker not running at %1").arg(path));
    CHECK_FALSE(client.isConnected());
    CHECK(waitCall(client.call(QStringLiteral("status"))).error.message == failed.error.message);

    // A socket file nobody listens on (a crashed worker) reads the same.
    const QString stalePath = dir.filePath(QStringLiteral("stale.sock"));
    UnixFd stale;
    REQUIRE(stale.bind(stalePath));
    ControlClient staleClient;
    QSignalSpy staleErrors(&staleClient, &ControlClient::errorOccurred);
    staleClient.connectToServer(stalePath);
    REQUIRE(staleErrors.wait(WaitMs));
    CHECK(staleErrors.at(0).at(0).toString() == QStringLiteral("worker not running at %1").arg(stalePath));
}

TEST_CASE(
    "control calls fail cleanly when the worker goes away mid-call or does not answer", "[worker][control]")
{
    QTemporaryDir dir;
    // A worker stand-in that takes requests and never answers; it can vanish at will.
    QLocalServer fake;
    REQUIRE(fake.listen(dir.filePath(QStringLiteral("fake.sock"))));
    QList<QLocalSocket *> accepted;
    QObject::connect(
        &fake, &QLocalServer::newConnection, [&] { accepted.append(fake.nextPendingConnection()); });

    ControlClient client;
    connectClient(client, fake.fullServerName());
    const CallResult late = waitCall(client.call(QStringLiteral("status"), {}, 50));
    CHECK(late.error.code == ControlError::TransportError);
    CHECK(late.error.message.contains(QLatin1String("did not answer status")));

    ControlCall *pending = client.call(QStringLiteral("drain"), {}, 0);
    QSignalSpy finished(pending, &ControlCall::finished);
    QSignalSpy disconnected(&client, &ControlClient::disconnected);
    QByteArray received;
    REQUIRE(QTest::qWaitFor(
        [&] {
            if (!accepted.isEmpty()) {
                received += accepted.at(0)->readAll();
            }
            return received.contains("drain");
        },
        WaitMs));
    accepted.at(0)->abort(); // the worker dies with the drain request unanswered
    REQUIRE(finished.wait(WaitMs));
    const ControlError error = finished.at(0).at(1).value<ControlError>();
    CHECK(error.code == ControlError::TransportError);
    CHECK(error.message.contains(QLatin1String("closed the connection")));
    REQUIRE((disconnected.size() > 0 || disconnected.wait(WaitMs)));
    CHECK_FALSE(client.isConnected());
    CHECK(waitCall(client.call(QStringLiteral("status"))).error.code == ControlError::TransportError);
}

TEST_CASE("twenty control clients at once", "[worker][control]")
{
    QTemporaryDir dir;
    ControlServer server(dir.filePath(QStringLiteral("worker.sock")), testHandler());
    REQUIRE(server.listen(nullptr));
    std::vector<std::unique_ptr<ControlClient>> clients;
    QList<ControlCall *> calls;
    for (int i = 0; i < 20; ++i) {
        clients.push_back(std::make_unique<ControlClient>());
        clients.back()->connectToServer(server.socketPath());
        calls.append(clients.back()->call(QStringLiteral("add"), QJsonArray { i, 100 }));
    }
    std::vector<std::unique_ptr<QSignalSpy>> spies;
    for (ControlCall *call : std::as_const(calls)) {
        spies.push_back(std::make_unique<QSignalSpy>(call, &ControlCall::finished));
    }
    REQUIRE(QTest::qWaitFor(
        [&] {
            return std::all_of(spies.begin(), spies.end(), [](const auto &spy) { return spy->size() == 1; });
        },
        WaitMs));
    for (int i = 0; i < 20; ++i) {
        CHECK_FALSE(spies[i]->at(0).at(1).value<ControlError>().isError());
        CHECK(spies[i]->at(0).at(0).toJsonValue().toInt() == i + 100);
    }
    CHECK(server.clientCount() == 20);
    clients.clear();
    REQUIRE(QTest::qWaitFor([&] { return server.clientCount() == 0; }, WaitMs));
}

TEST_CASE("a subscriber that stops reading is dropped once 16 MiB of events are unread", "[worker][control]")
{
    QTemporaryDir dir;
    ControlServer server(dir.filePath(QStringLiteral("worker.sock")), testHandler());
    REQUIRE(server.listen(nullptr));

    UnixFd stuck;
    REQUIRE(stuck.connect(server.socketPath()));
    const QByteArray subscribe = request(1, QStringLiteral("subscribe"));
    REQUIRE(::write(stuck.fd, subscribe.constData(), size_t(subscribe.size())) == subscribe.size());
    QByteArray answer;
    REQUIRE(QTest::qWaitFor(
        [&] {
            char buffer[256];
            const ssize_t n = ::recv(stuck.fd, buffer, sizeof(buffer), MSG_DONTWAIT);
            if (n > 0) {
                answer.append(buffer, n);
            }
            return answer.contains('\n');
        },
        WaitMs));

    ControlClient reader;
    connectClient(reader, server.socketPath());
    waitCall(reader.subscribe());
    QSignalSpy events(&reader, &ControlClient::eventReceived);
    REQUIRE(server.clientCount() == 2);

    const QString mebibyte(1024 * 1024, u'e');
    for (int i = 1; i <= 20; ++i) {
        server.publish(QStringLiteral("log"), mebibyte);
        REQUIRE(QTest::qWaitFor([&] { return events.size() == i; }, WaitMs));
    }
    CHECK(server.clientCount() == 1); // the stuck one is gone, the reader still there
    CHECK(reader.isConnected());
}

TEST_CASE(
    "a client pipelining requests without reading is slowed down rather than dropped", "[worker][control]")
{
    QTemporaryDir dir;
    ControlServer server(dir.filePath(QStringLiteral("worker.sock")), testHandler());
    REQUIRE(server.listen(nullptr));
    RawClient raw(server.socketPath());
    // 48 answers of 512 KiB each: 24 MiB, more than the server would ever queue for one client.
    QByteArray requests;
    for (int id = 1; id <= 48; ++id) {
        requests
            += request(id, QStringLiteral("blob"), QJsonObject { { QStringLiteral("size"), 512 * 1024 } });
    }
    raw.send(requests);
    for (int id = 1; id <= 48; ++id) {
        const QJsonValue answer = raw.next();
        REQUIRE(answer[QLatin1String("id")].toInt() == id);
        CHECK(answer[QLatin1String("result")].toString().size() == 512 * 1024);
    }
    CHECK(server.clientCount() == 1);
}

TEST_CASE("the default control socket path", "[worker][control]")
{
    const QByteArray savedRuntime = qgetenv("XDG_RUNTIME_DIR");
    const bool hadRuntime = qEnvironmentVariableIsSet("XDG_RUNTIME_DIR");
    const auto restore = qScopeGuard([&] {
        if (hadRuntime) {
            qputenv("XDG_RUNTIME_DIR", savedRuntime);
        } else {
            qunsetenv("XDG_RUNTIME_DIR");
        }
    });
    qputenv("XDG_RUNTIME_DIR", "/run/user/1000");
    CHECK(ControlServer::defaultSocketPath(QStringLiteral("gpu-box-1"))
        == QLatin1String("/run/user/1000/codalab/worker-gpu-box-1.sock"));
    CHECK(ControlServer::defaultSocketPath(QStringLiteral("../a b/ç"))
        == QLatin1String("/run/user/1000/codalab/worker-.._a_b__.sock"));

    const QString longA = ControlServer::defaultSocketPath(QString(300, u'a'));
    const QString longB = ControlServer::defaultSocketPath(QString(300, u'a') + u'b');
    CHECK(QFile::encodeName(longA).size() <= 107);
    CHECK(QFile::encodeName(longB).size() <= 107);
    CHECK(longA != longB);
    CHECK(longA.startsWith(QLatin1String("/run/user/1000/codalab/worker-aaaa")));

    qunsetenv("XDG_RUNTIME_DIR");
    CHECK(ControlServer::defaultSocketPath(QStringLiteral("w1"))
        == QDir::homePath() + QLatin1String("/.local/state/CodaLab/worker-w1.sock"));
}
