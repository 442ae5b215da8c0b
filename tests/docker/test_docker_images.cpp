// SPDX-License-Identifier: GPL-3.0-or-later
// Images against the real daemon. Nothing here reaches a registry: the pulls go to loopback ports.
#include "docker/imageinfo.h"
#include "support/dockertestenv.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTcpServer>

#include <catch2/catch.hpp>

using namespace codalab::docker;
using namespace codalab::test;

TEST_CASE("the test image inspects with id, tags and size", "[docker][images]")
{
    DockerScope scope;
    const DockerResult r = waitReply(scope.client().inspectImage(TestImage));
    REQUIRE(r.ok());
    const ImageInfo image = ImageInfo::fromInspect(r.json.object());
    CHECK(image.id.startsWith(QLatin1String("sha256:")));
    CHECK(image.repoTags.contains(TestImage));
    CHECK(image.repoDigests.isEmpty()); // imported, never pushed: the digest falls back to the id
    CHECK(image.digest() == image.id);
    CHECK(image.sizeBytes > 1000000);
}

TEST_CASE("images are listed, tagged and removed", "[docker][images]")
{
    DockerScope scope;
    DockerClient &client = scope.client();
    const QString tag
        = QStringLiteral("tag-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    const QString tagged = QStringLiteral("codalab-test/busybox:") + tag;
    REQUIRE(waitReply(client.tagImage(TestImage, QStringLiteral("codalab-test/busybox"), tag)).ok());

    DockerResult r = waitReply(client.listImages({ { QStringLiteral("reference"), { tagged } } }));
    REQUIRE(r.ok());
    REQUIRE(r.json.array().size() == 1);
    const ImageInfo listed = ImageInfo::fromListEntry(r.json.array().first().toObject());
    CHECK(listed.repoTags.contains(tagged));
    // The same image under both names: the new tag points at the test image's id.
    CHECK(listed.id == ImageInfo::fromInspect(waitReply(client.inspectImage(TestImage)).json.object()).id);

    r = waitReply(client.removeImage(tagged));
    REQUIRE(r.ok());
    CHECK(r.json.array().first().toObject().value(QLatin1String("Untagged")).toString() == tagged);
    CHECK(waitReply(client.inspectImage(tagged)).error.kind == DockerError::Kind::NotFound);
    CHECK(waitReply(client.inspectImage(TestImage)).ok()); // only the tag went
}

TEST_CASE("a missing image gives 404 on inspect, remove and create", "[docker][images][errors]")
{
    DockerScope scope;
    DockerClient &client = scope.client();
    const QString missing = QStringLiteral("codalab-test/not-here:latest");
    DockerResult r = waitReply(client.inspectImage(missing));
    CHECK(r.error.kind == DockerError::Kind::NotFound);
    CHECK(r.error.httpStatus == 404);
    CHECK(r.error.message.contains(QLatin1String("No such image")));
    CHECK(waitReply(client.removeImage(missing)).error.kind == DockerError::Kind::NotFound);

    ContainerSpec spec = scope.spec(QStringLiteral("true"));
    spec.image = missing;
    r = waitReply(client.createContainer(spec));
    CHECK(r.error.kind == DockerError::Kind::NotFound);
    CHECK(r.error.message.contains(QLatin1String("No such image")));
}

TEST_CASE(
    "a pull with no registry reachable fails with a clear message and no hang", "[docker][images][pull]")
{
    DockerScope scope;
    QList<PullStatus> progress;

    SECTION("nothing listens where the registry should be")
    {
        QTcpServer probe;
        REQUIRE(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close(); // the port is now closed: connections are refused at once
        const QString image = QStringLiteral("127.0.0.1:%1/codalab-test/nothing:latest").arg(port);
        ImagePull *pull = scope.client().pullImage(image, 30);
        QObject::connect(pull, &ImagePull::progress, [&](const PullStatus &s) { progress.append(s); });
        const DockerError error = waitJob(pull, 90000);
        REQUIRE(error);
        CHECK(error.kind != DockerError::Kind::Timeout);
        CHECK(error.message.startsWith(QStringLiteral("Cannot pull ") + image + QStringLiteral(": ")));
        CHECK(error.message.contains(QLatin1String("connection refused"), Qt::CaseInsensitive));
    }

    SECTION("the registry accepts the connection and never answers")
    {
        QTcpServer silent;
        REQUIRE(silent.listen(QHostAddress::LocalHost, 0));
        QList<QTcpSocket *> held; // accepted and left silent
        QObject::connect(&silent, &QTcpServer::newConnection, [&] {
            while (QTcpSocket *s = silent.nextPendingConnection()) {
                held.append(s);
            }
        });
        const QString image
            = QStringLiteral("127.0.0.1:%1/codalab-test/silent:latest").arg(silent.serverPort());
        ImagePull *pull = scope.client().pullImage(image, 3);
        const DockerError error = waitJob(pull, 60000);
        REQUIRE(error);
        CHECK(error.kind == DockerError::Kind::Timeout);
        CHECK(error.message.startsWith(QStringLiteral("Cannot pull ") + image));
        CHECK(error.message.contains(QLatin1String("sent nothing for 3 s")));
        CHECK_FALSE(held.isEmpty()); // the daemon did try the loopback registry
    }
}
