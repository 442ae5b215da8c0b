// SPDX-License-Identifier: GPL-3.0-or-later
// Errors a user must understand: no daemon, no permission, conflicts, and broken answers.
#include "support/dockertestenv.h"
#include "support/scriptedengine.h"

#include <QLocalServer>
#include <QProcess>
#include <QTemporaryDir>

#include <catch2/catch.hpp>
#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace codalab::docker;
using namespace codalab::test;

TEST_CASE("no daemon on the socket: 'Docker is not reachable at <socket>'", "[docker][errors]")
{
    QTemporaryDir dir;
    const QString socket = dir.filePath(QStringLiteral("absent.sock"));
    DockerClient client(DockerEndpoint { socket, {} });
    const DockerResult r = waitReply(client.ping());
    CHECK(r.error.kind == DockerError::Kind::Unreachable);
    CHECK(r.error.message.startsWith(
        QStringLiteral("Docker is not reachable at ") + socket + QStringLiteral(": ")));
    CHECK(r.error.message.contains(QLatin1String("No such file or directory")));

    SECTION("a socket file nobody listens on is refused, not hung")
    {
        // Bound and closed without listen(): the file stays, and connecting to it is refused, as after a
        // daemon crash that left its socket behind.
        const QString deadPath = dir.filePath(QStringLiteral("dead.sock"));
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, QFile::encodeName(deadPath).constData(), sizeof(address.sun_path) - 1);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0);
        ::close(fd);
        DockerClient deadClient(DockerEndpoint { deadPath, {} });
        const DockerResult refused = waitReply(deadClient.version());
        CHECK(refused.error.kind == DockerError::Kind::Unreachable);
        CHECK(refused.error.message.contains(QLatin1String("Connection refused")));
        CHECK(refused.error.message.contains(QLatin1String("is dockerd running?")));
    }
}

TEST_CASE("a socket this user may not open names the docker group", "[docker][errors]")
{
    QTemporaryDir dir;
    QLocalServer server;
    server.setSocketOptions(QLocalServer::UserAccessOption); // 0600: only its owner connects
    const QString socket = dir.filePath(QStringLiteral("private.sock"));
    REQUIRE(server.listen(socket));

    QString message;
    if (::geteuid() != 0) {
        REQUIRE(::chmod(QFile::encodeName(socket).constData(), 0) == 0);
        DockerClient client(DockerEndpoint { socket, {} });
        const DockerResult r = waitReply(client.ping());
        CHECK(r.error.kind == DockerError::Kind::PermissionDenied);
        message = r.error.message;
    } else {
        // root opens any socket: ask as 'nobody' through the worker's own Docker check.
        QProcess probe;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DOCKER_HOST"), QStringLiteral("unix://") + socket);
        probe.setProcessEnvironment(env);
        probe.start(QStringLiteral("setpriv"),
            { QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                QStringLiteral("--clear-groups"), QStringLiteral(CODALAB_WORKER_BIN),
                QStringLiteral("--check-docker"), TestImage });
        REQUIRE(probe.waitForFinished(30000));
        CHECK(probe.exitCode() == 3); // Docker unusable
        message = QString::fromUtf8(probe.readAllStandardError());
    }
    CHECK(message.contains(QStringLiteral("Permission denied on the Docker socket ") + socket));
    CHECK(message.contains(QLatin1String("'docker' group")));
}

TEST_CASE("a container name in use gives 409", "[docker][errors]")
{
    DockerScope scope;
    ContainerSpec spec = scope.spec(QStringLiteral("true"));
    spec.name = scope.uniqueName(QStringLiteral("dup"));
    scope.create(spec);
    const DockerResult r = waitReply(scope.client().createContainer(spec));
    CHECK(r.error.kind == DockerError::Kind::Conflict);
    CHECK(r.error.httpStatus == 409);
    CHECK(r.error.message.contains(QLatin1String("is already in use")));
}

TEST_CASE("broken answers become errors, never crashes or hangs", "[docker][errors]")
{
    SECTION("malformed JSON")
    {
        ScriptedEngine engine([](const QByteArray &, const QByteArray &) {
            return ScriptedEngine::response(200, "application/json", "{\"Id\": \"abc\", ");
        });
        DockerClient client(DockerEndpoint { engine.socketPath(), {} });
        const DockerResult r = waitReply(client.inspectContainer(QStringLiteral("abc")));
        CHECK(r.error.kind == DockerError::Kind::Protocol);
        CHECK(
            r.error.message.startsWith(QLatin1String("Malformed JSON from Docker for /containers/abc/json")));
    }
    SECTION("the daemon drops the connection without answering")
    {
        ScriptedEngine engine([](const QByteArray &, const QByteArray &) { return QByteArray(); });
        DockerClient client(DockerEndpoint { engine.socketPath(), {} });
        const DockerResult r = waitReply(client.version());
        CHECK(r.error.kind == DockerError::Kind::Unreachable);
        CHECK(r.error.message.startsWith(QStringLiteral("Connection to Docker at ") + engine.socketPath()));
        CHECK(engine.requests() == 1);
    }
    SECTION("a daemon that never answers times out")
    {
        ScriptedEngine engine(
            [](const QByteArray &, const QByteArray &) { return ScriptedEngine::Hold.toByteArray(); });
        DockerClient client(DockerEndpoint { engine.socketPath(), {} });
        TransportRequest request;
        request.path = "/info";
        request.timeoutMs = 500;
        const DockerResult r = waitReply(client.request(request), 10000);
        CHECK(r.error.kind == DockerError::Kind::Timeout);
        CHECK(r.error.message.startsWith(QLatin1String("Docker did not answer in time on /info")));
    }
    SECTION("an answer cut short")
    {
        ScriptedEngine engine([](const QByteArray &, const QByteArray &) {
            return ScriptedEngine::response(200, "application/json", "{\"Version\": \"20.10\"}").chopped(5);
        });
        DockerClient client(DockerEndpoint { engine.socketPath(), {} });
        const DockerResult r = waitReply(client.version());
        CHECK(r.error.kind == DockerError::Kind::Unreachable);
    }
    SECTION("a log stream that is not multiplexed although the container has no TTY")
    {
        ScriptedEngine engine([](const QByteArray &, const QByteArray &path) {
            if (path.contains("/logs")) {
                return ScriptedEngine::response(
                    200, "application/vnd.docker.raw-stream", "plain text, no frames\n");
            }
            return ScriptedEngine::response(200, "application/json", R"({"Id":"c1","Config":{"Tty":false}})");
        });
        DockerClient client(DockerEndpoint { engine.socketPath(), {} });
        ContainerLogs *logs = client.logs(QStringLiteral("c1"));
        int outputs = 0;
        QObject::connect(logs, &ContainerLogs::output, [&outputs] { ++outputs; });
        const DockerError error = waitJob(logs, 10000);
        CHECK(error.kind == DockerError::Kind::Protocol);
        CHECK(error.message.contains(QLatin1String("not a multiplexed stream")));
        CHECK(outputs == 0);
    }
    SECTION("a log stream that ends inside a frame")
    {
        ScriptedEngine engine([](const QByteArray &, const QByteArray &path) {
            if (path.contains("/logs")) {
                return ScriptedEngine::response(200, "application/vnd.docker.multiplexed-stream",
                    QByteArray("\x01\0\0\0\0\0\0\x10"
                               "short",
                        13));
            }
            return ScriptedEngine::response(200, "application/json", R"({"Id":"c1","Config":{"Tty":false}})");
        });
        DockerClient client(DockerEndpoint { engine.socketPath(), {} });
        ContainerLogs *logs = client.logs(QStringLiteral("c1"));
        QByteArray out;
        QObject::connect(
            logs, &ContainerLogs::output, [&out](LogStreamType, const QByteArray &d) { out += d; });
        const DockerError error = waitJob(logs, 10000);
        CHECK(error.kind == DockerError::Kind::Protocol);
        CHECK(error.message.contains(QLatin1String("ended inside a frame")));
        CHECK(out == "short"); // what did arrive was delivered
    }
    SECTION("a pull stream that reports an error after 200")
    {
        ScriptedEngine engine([](const QByteArray &, const QByteArray &) {
            return ScriptedEngine::response(200, "application/json",
                "{\"status\":\"Pulling from "
                "x\",\"id\":\"latest\"}\n{\"errorDetail\":{\"message\":\"denied\"},\"error\":\"denied\"}\n");
        });
        DockerClient client(DockerEndpoint { engine.socketPath(), {} });
        const DockerError error = waitJob(client.pullImage(QStringLiteral("x")), 10000);
        CHECK(error.kind == DockerError::Kind::ServerError);
        CHECK(error.message == QLatin1String("Cannot pull x: denied"));
    }
}
