// SPDX-License-Identifier: GPL-3.0-or-later
// The control socket's JSON-RPC: calls, errors, notifications, batches, long lines and events.
#include "worker/controltestsupport.h"

using namespace codalab::worker;
using namespace codalab::test::control;

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

    QSignalSpy subscriberEvents(&subscriber, &ControlClient::eventReceived);
    QSignalSpy bystanderEvents(&bystander, &ControlClient::eventReceived);
    QSignalSpy unsubscribedEvents(&unsubscribed, &ControlClient::eventReceived);
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
