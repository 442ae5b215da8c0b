// SPDX-License-Identifier: GPL-3.0-or-later
// The control socket's `caches` and `cleanCaches` (CacheCleaner) over real caches: dependencies downloaded
// from codalab-local-server, images known to the real dockerd (tags of the offline test image, so nothing
// is pulled and the shared test image itself is never at risk).
#include "docker/imageinfo.h"
#include "localserver/localserverfixture.h"
#include "server/contentsdownload.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "server/workerapi.h"
#include "support/codalabtestdata.h"
#include "support/dockertestenv.h"
#include "worker/cachecleaner.h"
#include "worker/cachetestsupport.h"
#include "worker/dependencycache.h"
#include "worker/imagecache.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::DockerScope;
using codalab::test::LocalServerFixture;
using codalab::test::TestImage;
using codalab::test::TestTags;
using codalab::test::waitReply;
using codalab::test::WorkerClient;
using codalab::worker::CacheCleaner;
using codalab::worker::ControlError;
using codalab::worker::DependencyCache;
using codalab::worker::DependencyKey;
using codalab::worker::ImageCache;

namespace {

bool imageExists(docker::DockerClient &client, const QString &image)
{
    return waitReply(client.inspectImage(image)).ok();
}

/// The entry of `array` whose `key` is `value`; {} when none.
QJsonObject find(const QJsonArray &array, const char *key, const QString &value)
{
    for (const QJsonValue &v : array) {
        if (v[QLatin1String(key)].toString() == value) {
            return v.toObject();
        }
    }
    return {};
}

QJsonObject callOk(CacheCleaner &cleaner, const QString &method, const QJsonValue &params = {})
{
    ControlError error;
    const QJsonValue result = cleaner.call(method, params, &error);
    INFO(error.message.toStdString());
    REQUIRE(error.code == 0);
    REQUIRE(result.isObject());
    return result.toObject();
}

} // namespace

TEST_CASE("caches lists every entry and cleanCaches removes exactly what no run uses",
    "[worker][cache][control][docker]")
{
    LocalServerFixture f;
    auto user = f.root();
    WorkerClient client(f.server->url(), f.password);
    DockerScope scope;
    docker::DockerClient &dockerClient = scope.client();
    TestTags tags { dockerClient, {} };
    QTemporaryDir work;
    REQUIRE(work.isValid());

    // Dependencies: `used` stays with run-a, `unused` was run-b's and is free now.
    DependencyCache deps(work.filePath(QStringLiteral("dependencies")),
        work.filePath(QStringLiteral("dependencies-state.json")),
        [&client](const DependencyKey &key, const QString &target) {
            return client.api.downloadDependency(key.parentUuid, key.parentPath, target);
        });
    QString error;
    REQUIRE(deps.load(&error));
    const DependencyKey used { test::createDataset(*user, QStringLiteral("used"), QStringLiteral("u.bin"),
                                   QByteArray(300, 'u')),
        QString() };
    const DependencyKey unused { test::createDataset(*user, QStringLiteral("unused"), QStringLiteral("n.bin"),
                                     QByteArray(700, 'n')),
        QString() };
    deps.acquire(QStringLiteral("run-a"), used);
    deps.acquire(QStringLiteral("run-b"), unused);
    REQUIRE(QTest::qWaitFor(
        [&] {
            return deps.entry(used)->stage == DependencyCache::Stage::Ready
                && deps.entry(unused)->stage == DependencyCache::Stage::Ready;
        },
        30000));
    deps.release(QStringLiteral("run-b"), unused);
    const QString unusedPath = deps.entry(unused)->path;

    // Images: `mine` and `busy` this worker pulled (as a previous process's state file says), `own` the
    // user's; `busy` is in use by run-c.
    const QString mine = tags.add(QStringLiteral("codalab-test/control-mine"));
    const QString busy = tags.add(QStringLiteral("codalab-test/control-busy"));
    const QString own = tags.add(QStringLiteral("codalab-test/control-own"));
    const qint64 size
        = docker::ImageInfo::fromInspect(waitReply(dockerClient.inspectImage(TestImage)).json.object())
              .sizeBytes;
    const QString imageState = work.filePath(QStringLiteral("images-state.json"));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonArray images;
    for (const QString &name : { mine, busy, own }) {
        images.append(QJsonObject { { QStringLiteral("image"), name }, { QStringLiteral("size_bytes"), size },
            { QStringLiteral("pulled_by_worker"), name != own },
            { QStringLiteral("last_used"), now.addSecs(-60).toString(Qt::ISODateWithMs) },
            { QStringLiteral("last_pull"), now.toString(Qt::ISODateWithMs) } });
    }
    QFile state(imageState);
    REQUIRE(state.open(QIODevice::WriteOnly));
    state.write(
        QJsonDocument(QJsonObject { { QStringLiteral("version"), 1 }, { QStringLiteral("images"), images } })
            .toJson());
    state.close();
    ImageCache imageCache(&dockerClient, imageState);
    REQUIRE(imageCache.load(&error));
    imageCache.acquire(QStringLiteral("run-c"), busy);
    REQUIRE(
        QTest::qWaitFor([&] { return imageCache.entry(busy)->stage == ImageCache::Stage::Ready; }, 30000));

    CacheCleaner cleaner(&deps, &imageCache);
    const QJsonObject listed = callOk(cleaner, QStringLiteral("caches"));
    const QJsonArray listedDeps = listed[QLatin1String("dependencies")].toArray();
    REQUIRE(listedDeps.size() == 2);
    const QJsonObject usedJson = find(listedDeps, "bundle_uuid", used.parentUuid);
    CHECK(usedJson[QLatin1String("state")] == QJsonValue(QStringLiteral("ready")));
    CHECK(usedJson[QLatin1String("in_use")] == QJsonValue(true));
    CHECK(usedJson[QLatin1String("dependents")].toInt() == 1);
    CHECK(usedJson[QLatin1String("subpath")] == QJsonValue(QString()));
    CHECK(usedJson[QLatin1String("size_bytes")].toDouble() == 300);
    CHECK(usedJson[QLatin1String("last_used")].toDouble() >= double(now.toSecsSinceEpoch() - 60));
    const QJsonObject unusedJson = find(listedDeps, "bundle_uuid", unused.parentUuid);
    CHECK(unusedJson[QLatin1String("in_use")] == QJsonValue(false));
    CHECK(unusedJson[QLatin1String("size_bytes")].toDouble() == 700);
    CHECK(listed[QLatin1String("dependencies_bytes")].toDouble() == 1000);
    CHECK(listed[QLatin1String("dependencies_max_bytes")].toDouble()
        == double(DependencyCache::DefaultMaxBytes));

    const QJsonArray listedImages = listed[QLatin1String("images")].toArray();
    REQUIRE(listedImages.size() == 3);
    const QJsonObject busyJson = find(listedImages, "image", busy);
    CHECK(busyJson[QLatin1String("in_use")] == QJsonValue(true));
    CHECK(busyJson[QLatin1String("pulled_by_worker")] == QJsonValue(true));
    CHECK(busyJson[QLatin1String("state")] == QJsonValue(QStringLiteral("ready")));
    CHECK(busyJson[QLatin1String("digest")].toString().startsWith(QLatin1String("sha256:")));
    CHECK(find(listedImages, "image", own)[QLatin1String("pulled_by_worker")] == QJsonValue(false));
    CHECK(find(listedImages, "image", mine)[QLatin1String("in_use")] == QJsonValue(false));
    CHECK(find(listedImages, "image", mine)[QLatin1String("last_used")].toDouble()
        == double(now.addSecs(-60).toSecsSinceEpoch()));
    CHECK(listed[QLatin1String("images_bytes")].toDouble() == double(2 * size)); // this worker's only
    CHECK(listed[QLatin1String("images_max_bytes")].isNull());

    // Dependencies only: the free one goes, images stay.
    const QJsonObject first
        = callOk(cleaner, QStringLiteral("cleanCaches"), QJsonObject { { QStringLiteral("images"), false } });
    const QJsonArray removedDeps = first[QLatin1String("dependencies")][QLatin1String("removed")].toArray();
    REQUIRE(removedDeps.size() == 1);
    CHECK(removedDeps.at(0)[QLatin1String("bundle_uuid")].toString() == unused.parentUuid);
    CHECK(first[QLatin1String("dependencies")][QLatin1String("bytes_freed")].toDouble() == 700);
    CHECK(first[QLatin1String("images")][QLatin1String("removed")].toArray().isEmpty());
    CHECK(first[QLatin1String("bytes_freed")].toDouble() == 700);
    CHECK_FALSE(deps.entry(unused));
    REQUIRE(deps.entry(used));
    CHECK(QFileInfo::exists(deps.entry(used)->path));
    CHECK(QTest::qWaitFor([&] { return !QFileInfo::exists(unusedPath); }, 10000));
    CHECK(imageCache.entry(mine));

    // Everything else: only `mine` can go (`busy` is in use, `own` is the user's, `used` still needed).
    const QJsonObject second = callOk(cleaner, QStringLiteral("cleanCaches"));
    CHECK(second[QLatin1String("dependencies")][QLatin1String("removed")].toArray().isEmpty());
    const QJsonArray removedImages = second[QLatin1String("images")][QLatin1String("removed")].toArray();
    REQUIRE(removedImages.size() == 1);
    CHECK(removedImages.at(0)[QLatin1String("image")].toString() == mine);
    CHECK(second[QLatin1String("bytes_freed")].toDouble() == double(size));
    REQUIRE(QTest::qWaitFor([&] { return !imageExists(dockerClient, mine); }, 30000));
    CHECK(imageExists(dockerClient, busy));
    CHECK(imageExists(dockerClient, own));
    CHECK(imageExists(dockerClient, TestImage));
    const QJsonObject after = callOk(cleaner, QStringLiteral("caches"));
    CHECK(after[QLatin1String("dependencies")].toArray().size() == 1);
    CHECK(after[QLatin1String("images")].toArray().size() == 2);

    // Once the runs are done, everything of the worker's own goes; the user's image never.
    deps.releaseRun(QStringLiteral("run-a"));
    imageCache.release(QStringLiteral("run-c"));
    const QJsonObject last = callOk(cleaner, QStringLiteral("cleanCaches"),
        QJsonObject { { QStringLiteral("dependencies"), true }, { QStringLiteral("images"), true } });
    CHECK(last[QLatin1String("bytes_freed")].toDouble() == double(300 + size));
    CHECK(deps.entries().isEmpty());
    REQUIRE(imageCache.entries().size() == 1);
    CHECK(imageCache.entries().first().image == own);
    REQUIRE(QTest::qWaitFor([&] { return !imageExists(dockerClient, busy); }, 30000));
    CHECK(imageExists(dockerClient, own));
}

TEST_CASE("cleanCaches refuses flags that are not booleans and other methods are not its own",
    "[worker][cache][control]")
{
    QTemporaryDir work;
    DependencyCache deps(work.filePath(QStringLiteral("d")), work.filePath(QStringLiteral("d.json")), {});
    docker::DockerClient dockerClient;
    ImageCache images(&dockerClient, work.filePath(QStringLiteral("i.json")));
    CacheCleaner cleaner(&deps, &images);

    for (const QJsonValue &bad :
        { QJsonValue(QJsonObject { { QStringLiteral("images"), QStringLiteral("yes") } }),
            QJsonValue(QJsonObject { { QStringLiteral("dependencies"), 1 } }),
            QJsonValue(QJsonArray { true }) }) {
        ControlError error;
        CHECK(cleaner.call(QStringLiteral("cleanCaches"), bad, &error).isNull());
        CHECK(error.code == ControlError::InvalidParams);
        CHECK(error.message.contains(QLatin1String("cleanCaches takes")));
    }
    ControlError error;
    CHECK(cleaner.call(QStringLiteral("status"), {}, &error).isUndefined());
    CHECK(error.code == 0);
    const QJsonObject empty = callOk(cleaner, QStringLiteral("caches"));
    CHECK(empty[QLatin1String("dependencies")].toArray().isEmpty());
    CHECK(empty[QLatin1String("images")].toArray().isEmpty());
    images.setMaxBytes(qint64(5) << 30);
    CHECK(callOk(cleaner, QStringLiteral("caches"))[QLatin1String("images_max_bytes")].toDouble()
        == double(qint64(5) << 30));
    const QJsonObject nothing = callOk(cleaner, QStringLiteral("cleanCaches"), QJsonObject {});
    CHECK(nothing[QLatin1String("bytes_freed")].toDouble() == 0);
}
