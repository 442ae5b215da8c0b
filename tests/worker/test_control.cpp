// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/controlcall.h"
#include "worker/controlclient.h"
#include "worker/controlserver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace codalab::worker;

namespace {

constexpr int WaitMs = 20000;

/// The worker side for these tests: a few methods with results, errors and an exception.
ControlServer::Handler testHandler(QStringList *seen = nullptr)
{
    return [seen](const QString &method, const QJsonValue &params, ControlError *error) -> QJsonValue {
        if (seen) {
            seen->append(method);
        }
        if (method == QLatin1String("add")) {
            const QJsonArray numbers = params.toArray();
            if (numbers.size() != 2 || !numbers.at(0).isDouble() || !numbers.at(1).isDouble()) {
                *error = ControlError::invalidParams(QStringLiteral("add takes two numbers"));
                return {};
            }
            return numbers.at(0).toDouble() + numbers.at(1).toDouble();
        }
        if (method == QLatin1String("echo")) {
            return params;
        }
        if (method == QLatin1String("busy")) {
            *error = ControlError::make(
                7, QStringLiteral("slot 2 is busy"), QJsonObject { { QStringLiteral("slot"), 2 } });
            return {};
        }
        if (method == QLatin1String("blob")) {
            return QString(params.toObject().value(QStringLiteral("size")).toInt(), u'x');
        }
        if (method == QLatin1String("note")) {
            return true;
        }
        if (method == QLatin1String("throw")) {
            throw std::runtime_error("boom");
        }
        return QJsonValue(QJsonValue::Undefined); // not ours: "method not found"
    };
}

struct CallResult
{
    QJsonValue result;
    ControlError error;
};

CallResult waitCall(ControlCall *call)
{
    QSignalSpy spy(call, &ControlCall::finished);
    REQUIRE(spy.wait(WaitMs));
    REQUIRE(spy.size() == 1);
    return { spy.at(0).at(0).value<QJsonValue>(), spy.at(0).at(1).value<ControlError>() };
}

void connectClient(ControlClient &client, const QString &path)
{
    QSignalSpy connected(&client, &ControlClient::connected);
    client.connectToServer(path);
    REQUIRE(connected.wait(WaitMs));
    REQUIRE(client.isConnected());
}

/// A line-level client, for what ControlClient never sends.
class RawClient
{
public:
    explicit RawClient(const QString &path)
    {
        m_socket.connectToServer(path);
        REQUIRE(m_socket.waitForConnected(WaitMs));
    }

    void send(const QByteArray &bytes) { m_socket.write(bytes); }
    QJsonValue next()
    {
        REQUIRE(QTest::qWaitFor([this] { return m_socket.canReadLine(); }, WaitMs));
        const QJsonDocument document = QJsonDocument::fromJson(m_socket.readLine());
        REQUIRE((document.isObject() || document.isArray()));
        return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    }
    QLocalSocket &socket() { return m_socket; }

private:
    QLocalSocket m_socket;
};

int errorCode(const QJsonValue &answer)
{
    return answer[QLatin1String("error")][QLatin1String("code")].toInt();
}

/// A plain unix socket file descriptor, closed on scope exit.
struct UnixFd
{
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ~UnixFd() { ::close(fd); }
    static sockaddr_un address(const QString &path)
    {
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        const QByteArray encoded = QFile::encodeName(path);
        std::memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()) + 1);
        return address;
    }
    bool bind(const QString &path)
    {
        const sockaddr_un a = address(path);
        return ::bind(fd, reinterpret_cast<const sockaddr *>(&a), sizeof(a)) == 0;
    }
    bool connect(const QString &path)
    {
        const sockaddr_un a = address(path);
        return ::connect(fd, reinterpret_cast<const sockaddr *>(&a), sizeof(a)) == 0;
    }
};

mode_t modeOf(const QString &path)
{
    struct stat info
    {
    };
    REQUIRE(::lstat(QFile::encodeName(path).constData(), &info) == 0);
    return info.st_mode;
}

QByteArray request(
    const QJsonValue &id, const QString &method, const QJsonValue &params = QJsonValue::Undefined)
{
    QJsonObject object { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") },
        { QStringLiteral("method"), method } };
    if (!id.isUndefined()) {
        object.insert(QStringLiteral("id"), id);
    }
    if (!params.isUndefined()) {
        object.insert(QStringLiteral("params"), params);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

const QJsonValue NoId = QJsonValue::Undefined;

} // namespace

TEST_CASE("control calls round-trip with their params and results", "[worker][control]")
{
    qRegisterMetaType<ControlError>();
    QTemporaryDir dir;
    ControlServer server(dir.filePath(QStringLiteral("worker.sock")), testHandler());
    QString error;
    REQUIRE(server.listen(&error));

    ControlClient client;
    QSignalSpy connected(&client, &ControlClient::connected);
    client.connectToServer(server.socketPath());
    // Made while still connecting: sent once connected.
    ControlCall *early = client.call(QStringLiteral("add"), QJsonArray { 2, 3 });
    const CallResult sum = waitCall(early);
    CHECK_FALSE(sum.error.isError());
    CHECK(sum.result.toDouble() == 5);
    CHECK(connected.size() == 1);

    const QJsonObject nested { { QStringLiteral("a"),
                                   QJsonArray { 1, QStringLiteral("x"), QJsonValue::Null } },
        { QStringLiteral("text"), QStringLiteral("grüße\nline") } };
    const CallResult echoed = waitCall(client.call(QStringLiteral("echo"), nested));
    CHECK(echoed.result == QJsonValue(nested));
    const CallResult pong = waitCall(client.call(QStringLiteral("rpc.ping")));
    CHECK(pong.result == QJsonValue(QStringLiteral("pong")));
    CHECK(server.clientCount() == 1);
}

TEST_CASE("handler errors, unknown methods and exceptions come back as JSON-RPC errors", "[worker][control]")
{
    QTemporaryDir dir;
    ControlServer server(dir.filePath(QStringLiteral("worker.sock")), testHandler());
    REQUIRE(server.listen(nullptr));
    ControlClient client;
    connectClient(client, server.socketPath());

    const CallResult busy = waitCall(client.call(QStringLiteral("busy")));
    CHECK(busy.error.code == 7);
    CHECK(busy.error.message == QLatin1String("slot 2 is busy"));
    CHECK(busy.error.data[QLatin1String("slot")].toInt() == 2);

    const CallResult badParams = waitCall(client.call(QStringLiteral("add"), QJsonArray { 1 }));
    CHECK(badParams.error.code == ControlError::InvalidParams);
    CHECK(badParams.error.message.contains(QLatin1String("two numbers")));

    const CallResult unknown = waitCall(client.call(QStringLiteral("frobnicate")));
    CHECK(unknown.error.code == ControlError::MethodNotFound);
    CHECK(unknown.error.message.contains(QLatin1String("frobnicate")));
    // "rpc." names belong to JSON-RPC itself and never reach the handler.
    CHECK(waitCall(client.call(QStringLiteral("rpc.frobnicate"))).error.code == ControlError::MethodNotFound);

    const CallResult thrown = waitCall(client.call(QStringLiteral("throw")));
    CHECK(thrown.error.code == ControlError::InternalError);
    CHECK(thrown.error.message.contains(QLatin1String("boom")));
    CHECK(client.isConnected());
}

TEST_CASE(
    "a malformed line gets a parse error with id null and the connection stays usable", "[worker][control]")
{
    QTemporaryDir dir;
    ControlServer server(dir.filePath(QStringLiteral("worker.sock")), testHandler());
    REQUIRE(server.listen(nullptr));
    RawClient raw(server.socketPath());

    raw.send("{not json\n");
    QJsonValue answer = raw.next();
    CHECK(errorCode(answer) == ControlError::ParseError);
    CHECK(answer[QLatin1String("id")].isNull());
    CHECK(answer[QLatin1String("jsonrpc")] == QJsonValue(QStringLiteral("2.0")));

    // Blank lines are skipped and CRLF line ends accepted.
    raw.send("\r\n" + request(QStringLiteral("a"), QStringLiteral("rpc.ping")).replace('\n', "\r\n"));
    answer = raw.next();
    CHECK(answer[QLatin1String("id")] == QJsonValue(QStringLiteral("a")));
    CHECK(answer[QLatin1String("result")] == QJsonValue(QStringLiteral("pong")));

    // Valid JSON that is not a valid request.
    raw.send("42\n");
    answer = raw.next();
    CHECK(errorCode(answer) == ControlError::InvalidRequest);
    CHECK(answer[QLatin1String("id")].isNull());
    raw.send(R"({"jsonrpc":"1.0","id":3,"method":"echo"})"
             "\n");
    answer = raw.next();
    CHECK(errorCode(answer) == ControlError::InvalidRequest);
    CHECK(answer[QLatin1String("id")].toInt() == 3);
    raw.send(R"({"jsonrpc":"2.0","id":4,"method":"echo","params":5})"
             "\n");
    CHECK(errorCode(raw.next()) == ControlError::InvalidRequest);
    raw.send(R"({"jsonrpc":"2.0","id":5,"method":17})"
             "\n");
    CHECK(errorCode(raw.next()) == ControlError::InvalidRequest);
    raw.send(R"({"jsonrpc":"2.0","id":{"x":1},"method":"echo"})"
             "\n");
    answer = raw.next();
    CHECK(errorCode(answer) == ControlError::InvalidRequest);
    CHECK(answer[QLatin1String("id")].isNull());

    raw.send(request(6, QStringLiteral("add"), QJsonArray { 20, 22 }));
    answer = raw.next();
    CHECK(answer[QLatin1String("id")].toInt() == 6);
    CHECK(answer[QLatin1String("result")].toInt() == 42);
}

TEST_CASE("a notification gets no answer, even for an unknown method", "[worker][control]")
{
    QStringList seen;
    QTemporaryDir dir;
    ControlServer server(dir.filePath(QStringLiteral("worker.sock")), testHandler(&seen));
    REQUIRE(server.listen(nullptr));
    RawClient raw(server.socketPath());

    raw.send(request(NoId, QStringLiteral("note"), QJsonObject { { QStringLiteral("n"), 1 } })
        + request(NoId, QStringLiteral("frobnicate")) + request(9, QStringLiteral("rpc.ping")));
    // Answers come in order, so the first one we see would be the notification's if it had one.
    const QJsonValue answer = raw.next();
    CHECK(answer[QLatin1String("id")].toInt() == 9);
    CHECK(answer[QLatin1String("result")] == QJsonValue(QStringLiteral("pong")));
    CHECK(seen == QStringList { QStringLiteral("note"), QStringLiteral("frobnicate") });
}

TEST_CASE("a batch gets an array of answers, in order, without the notifications", "[worker][control]")
{
    QTemporaryDir dir;
    ControlServer server(dir.filePath(QStringLiteral("worker.sock")), testHandler());
    REQUIRE(server.listen(nullptr));
    RawClient raw(server.socketPath());

    raw.send("[" + request(1, QStringLiteral("add"), QJsonArray { 1, 2 }).trimmed() + ","
        + request(NoId, QStringLiteral("note")).trimmed() + ",1,"
        + request(2, QStringLiteral("rpc.ping")).trimmed() + "]\n");
    const QJsonArray answers = raw.next().toArray();
    REQUIRE(answers.size() == 3);
    CHECK(answers.at(0)[QLatin1String("id")].toInt() == 1);
    CHECK(answers.at(0)[QLatin1String("result")].toInt() == 3);
    CHECK(answers.at(1)[QLatin1String("id")].isNull());
    CHECK(errorCode(answers.at(1)) == ControlError::InvalidRequest);
    CHECK(answers.at(2)[QLatin1String("id")].toInt() == 2);
    CHECK(answers.at(2)[QLatin1String("result")] == QJsonValue(QStringLiteral("pong")));

    raw.send("[]\n");
    const QJsonValue empty = raw.next();
    REQUIRE(empty.isObject());
    CHECK(errorCode(empty) == ControlError::InvalidRequest);

    // A batch of notifications only gets no answer at all.
    raw.send("[" + request(NoId, QStringLiteral("note")).trimmed() + "]\n"
        + request(5, QStringLiteral("rpc.ping")));
    const QJsonValue next = raw.next();
    REQUIRE(next.isObject());
    CHECK(next[QLatin1String("id")].toInt() == 5);
}

TEST_CASE("a line over 1 MiB is refused and the connection closed", "[worker][control]")
{
    QTemporaryDir dir;
    ControlServer server(dir.filePath(QStringLiteral("worker.sock")), testHandler());
    REQUIRE(server.listen(nullptr));

    // Just under the limit is fine.
    RawClient fits(server.socketPath());
    const QByteArray head
        = request(1, QStringLiteral("echo"), QJsonArray { QString() }).chopped(4); // up to ["
    const QByteArray tail = "\"]}";
    const QByteArray filler(ControlServer::MaxLineBytes - head.size() - tail.size(), 'y');
    fits.send(head + filler + tail + '\n');
    const QJsonValue echoed = fits.next();
    CHECK(echoed[QLatin1String("result")][0].toString().size() == filler.size());

    RawClient tooLong(server.socketPath());
    QSignalSpy closed(&tooLong.socket(), &QLocalSocket::disconnected);
    tooLong.send(head + QByteArray(ControlServer::MaxLineBytes, 'z'));
    const QJsonValue refused = tooLong.next();
    CHECK(errorCode(refused) == ControlError::InvalidRequest);
    CHECK(refused[QLatin1String("error")][QLatin1String("message")].toString().contains(
        QLatin1String("1 MiB")));
    REQUIRE((closed.size() > 0 || closed.wait(WaitMs)));
    REQUIRE(QTest::qWaitFor([&] { return server.clientCount() == 1; }, WaitMs));

    // The other client was not disturbed.
    fits.send(request(2, QStringLiteral("rpc.ping")));
    CHECK(fits.next()[QLatin1String("id")].toInt() == 2);
}

TEST_CASE("events reach subscribers only", "[worker][control]")
{
    QTemporaryDir dir;
    ControlServer server(dir.filePath(QStringLiteral("worker.sock")), testHandler());
    REQUIRE(server.listen(nullptr));
    server.publish(QStringLiteral("nobodyListens"), true);

    ControlClient subscriber;
    ControlClient bystander;
    ControlClient unsubscribed;
    connectClient(subscriber, server.socketPath());
    connectClient(bystander, server.socketPath());
    connectClient(unsubscribed, server.socketPath());
    CHECK(waitCall(subscriber.subscribe()).result == QJsonValue(true));
    CHECK(waitCall(unsubscribed.subscribe()).result == QJsonValue(true));
    CHECK(waitCall(unsubscribed.call(QStringLiteral("unsubscribe"))).result == QJsonValue(true));

    QSignalSpy subscriberEvents(&subscriber, &ControlClient::event);
    QSignalSpy bystanderEvents(&bystander, &ControlClient::event);
    QSignalSpy unsubscribedEvents(&unsubscribed, &ControlClient::event);
    const QJsonObject data { { QStringLiteral("uuid"), QStringLiteral("0x1234") },
        { QStringLiteral("slot"), 1 } };
    server.publish(QStringLiteral("runStarted"), data);

    REQUIRE(subscriberEvents.wait(WaitMs));
    CHECK(subscriberEvents.at(0).at(0).toString() == QLatin1String("runStarted"));
    CHECK(subscriberEvents.at(0).at(1).value<QJsonValue>() == QJsonValue(data));
    // An event sent to them would have arrived before the answer to a later call.
    waitCall(bystander.call(QStringLiteral("rpc.ping")));
    waitCall(unsubscribed.call(QStringLiteral("rpc.ping")));
    CHECK(bystanderEvents.isEmpty());
    CHECK(unsubscribedEvents.isEmpty());
}

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
    QSignalSpy events(&reader, &ControlClient::event);
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
