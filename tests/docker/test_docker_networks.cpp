// SPDX-License-Identifier: GPL-3.0-or-later
// Networks: only internal ones, and the containers attached to them are never started.
#include "docker/networkinfo.h"
#include "support/dockertestenv.h"

#include <QJsonObject>

#include <catch2/catch.hpp>

using namespace codalab::docker;
using namespace codalab::test;

TEST_CASE("internal networks are created, inspected, connected and removed", "[docker][networks]")
{
    DockerScope scope;
    DockerClient &client = scope.client();
    const QString first = scope.uniqueName(QStringLiteral("net-a"));
    const QString second = scope.uniqueName(QStringLiteral("net-b"));
    const QMap<QString, QString> labels { { TestLabel, QStringLiteral("1") } };

    DockerResult r = waitReply(client.createNetwork(first, true, labels));
    INFO(r.error.message.toStdString());
    REQUIRE(r.ok());
    scope.trackNetwork(first);
    const QString firstId = r.json.object().value(QLatin1String("Id")).toString();
    CHECK_FALSE(firstId.isEmpty());
    REQUIRE(waitReply(client.createNetwork(second, true, labels)).ok());
    scope.trackNetwork(second);

    r = waitReply(client.createNetwork(first, true, labels));
    CHECK(r.error.kind == DockerError::Kind::Conflict); // CheckDuplicate

    r = waitReply(client.inspectNetwork(first));
    REQUIRE(r.ok());
    NetworkInfo info = NetworkInfo::fromInspect(r.json.object());
    CHECK(info.id == firstId);
    CHECK(info.name == first);
    CHECK(info.internal);
    CHECK(info.driver == QLatin1String("bridge"));
    CHECK(info.labels.value(TestLabel) == QLatin1String("1"));

    ContainerSpec spec = scope.spec(QStringLiteral("true"));
    spec.networkMode = first;
    const QString container = scope.create(spec);
    r = waitReply(client.connectNetwork(second, container));
    INFO(r.error.message.toStdString());
    REQUIRE(r.ok());
    const DockerResult inspected = waitReply(client.inspectContainer(container));
    const QJsonObject networks = inspected.json.object()[QLatin1String("NetworkSettings")]
                                     .toObject()[QLatin1String("Networks")]
                                     .toObject();
    CHECK(networks.contains(first));
    CHECK(networks.contains(second));

    CHECK(
        waitReply(client.connectNetwork(second, QStringLiteral("codalab-test-no-such-container"))).error.kind
        == DockerError::Kind::NotFound);
    REQUIRE(waitReply(client.removeContainer(container)).ok());
    REQUIRE(waitReply(client.removeNetwork(second)).ok());
    scope.forgetNetwork(second);
    r = waitReply(client.inspectNetwork(second));
    CHECK(r.error.kind == DockerError::Kind::NotFound);
    CHECK(waitReply(client.removeNetwork(second)).error.kind == DockerError::Kind::NotFound);
}
