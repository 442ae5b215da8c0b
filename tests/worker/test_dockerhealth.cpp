// SPDX-License-Identifier: GPL-3.0-or-later
// DockerHealth: the worker's status says when its Docker daemon stops answering, and when it is back.
#include "docker/dockerclient.h"
#include "support/scriptedengine.h"
#include "worker/dockerhealth.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::ScriptedEngine;

TEST_CASE("a daemon that stops answering turns the health to an error, and back", "[worker][dockerhealth]")
{
    bool answering = true;
    ScriptedEngine engine([&](const QByteArray &, const QByteArray &) {
        return answering
            ? ScriptedEngine::response(200, "text/plain", "OK")
            : ScriptedEngine::response(500, "application/json", "{\"message\": \"daemon restarting\"}");
    });
    docker::DockerClient client(docker::DockerEndpoint { engine.socketPath(), {} });
    worker::DockerHealth health(&client);
    QSignalSpy changed(&health, &worker::DockerHealth::changed);
    CHECK(health.isOk()); // the worker starts only once Docker answered

    health.check();
    health.check(); // never two pings at once
    QTest::qWait(300);
    CHECK(changed.isEmpty());
    CHECK(health.isOk());

    answering = false;
    health.check();
    REQUIRE(changed.wait(10000));
    CHECK_FALSE(health.isOk());
    CHECK(health.error().contains(QLatin1String("daemon restarting")));

    answering = true;
    health.check();
    REQUIRE(changed.wait(10000));
    CHECK(health.isOk());
    CHECK(health.error().isEmpty());
}

TEST_CASE("no daemon at all is an error that says where it looked", "[worker][dockerhealth]")
{
    QTemporaryDir dir;
    const QString socket = dir.filePath(QStringLiteral("nobody.sock"));
    docker::DockerClient client(docker::DockerEndpoint { socket, {} });
    worker::DockerHealth health(&client);
    QSignalSpy changed(&health, &worker::DockerHealth::changed);
    health.check();
    REQUIRE(changed.wait(10000));
    CHECK_FALSE(health.isOk());
    CHECK_FALSE(health.error().isEmpty());
}
