// SPDX-License-Identifier: GPL-3.0-or-later
// The worker's image cache against the real dockerd. Nothing here reaches a registry: there is no network,
// so every pull fails within milliseconds, which is what the offline cases need.
#include "docker/imageinfo.h"
#include "support/dockertestenv.h"
#include "worker/cachetestsupport.h"
#include "worker/imagecache.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::DockerScope;
using codalab::test::TestImage;
using codalab::test::TestTags;
using codalab::test::waitReply;
using codalab::worker::ImageCache;
using Stage = ImageCache::Stage;

namespace {

ImageCache::Entry settle(ImageCache &cache, const QString &image)
{
    REQUIRE(QTest::qWaitFor(
        [&] {
            const auto e = cache.entry(image);
            return e && e->stage != Stage::Pulling;
        },
        60000));
    return *cache.entry(image);
}

bool imageExists(docker::DockerClient &client, const QString &image)
{
    return waitReply(client.inspectImage(image)).ok();
}

} // namespace

TEST_CASE("image names get :latest only when they have no tag or digest", "[worker][images]")
{
    CHECK(ImageCache::normalise(QStringLiteral("busybox")) == QLatin1String("busybox:latest"));
    CHECK(ImageCache::normalise(QStringLiteral(" codalab/default-cpu "))
        == QLatin1String("codalab/default-cpu:latest"));
    CHECK(ImageCache::normalise(QStringLiteral("a/b:1.0")) == QLatin1String("a/b:1.0"));
    CHECK(ImageCache::normalise(QStringLiteral("localhost:5000/a"))
        == QLatin1String("localhost:5000/a:latest"));
    CHECK(ImageCache::normalise(QStringLiteral("localhost:5000/a:2")) == QLatin1String("localhost:5000/a:2"));
    CHECK(ImageCache::normalise(QStringLiteral("a@sha256:abc")) == QLatin1String("a@sha256:abc"));
}

TEST_CASE(
    "the offline test image is ready with its digest although the pull fails", "[worker][images][docker]")
{
    DockerScope scope;
    QTemporaryDir work;
    // A state file it cannot use is put aside: what it held can be relearned.
    QFile damaged(work.filePath(QStringLiteral("images-state.json")));
    REQUIRE(damaged.open(QIODevice::WriteOnly));
    damaged.write("{\"version\": 99, \"images\": []}");
    damaged.close();
    ImageCache cache(&scope.client(), work.filePath(QStringLiteral("images-state.json")));
    QString error;
    REQUIRE(cache.load(&error));
    CHECK(cache.entries().isEmpty());
    CHECK(QDir(work.path()).entryList({ QStringLiteral("images-state.json.corrupt-*") }).size() == 1);
    QSignalSpy pulls(&cache, &ImageCache::pullStarted);

    // Two runs at once: one pull.
    const ImageCache::Entry first
        = cache.acquire(QStringLiteral("run-1"), QStringLiteral("codalab-test/busybox"));
    CHECK(first.image == TestImage);
    CHECK(first.stage == Stage::Pulling);
    CHECK(cache.acquire(QStringLiteral("run-2"), TestImage).stage == Stage::Pulling);
    const ImageCache::Entry e = settle(cache, TestImage);
    INFO(e.message.toStdString());
    REQUIRE(e.stage == Stage::Ready);
    CHECK(pulls.size() == 1);
    const docker::ImageInfo info
        = docker::ImageInfo::fromInspect(waitReply(scope.client().inspectImage(TestImage)).json.object());
    CHECK(e.digest.startsWith(QLatin1String("sha256:")));
    CHECK(e.digest == info.digest());
    CHECK(e.sizeBytes == info.sizeBytes);
    CHECK_FALSE(e.pulledByWorker); // it was here before: never this worker's to remove
    CHECK(e.lastPull.isValid());
    CHECK(e.users == QSet<QString> { QStringLiteral("run-1"), QStringLiteral("run-2") });
    CHECK(cache.totalBytes() == 0);

    // A later run within the refresh interval finds it ready without pulling again...
    cache.acquire(QStringLiteral("run-3"), TestImage);
    CHECK(settle(cache, TestImage).stage == Stage::Ready);
    CHECK(pulls.size() == 1);
    // ...and with no interval, each new run pulls, as upstream does; a run asking again does not.
    cache.setRefreshIntervalSec(0);
    cache.acquire(QStringLiteral("run-4"), TestImage);
    CHECK(settle(cache, TestImage).stage == Stage::Ready);
    cache.acquire(QStringLiteral("run-4"), TestImage);
    CHECK(cache.entry(TestImage)->stage == Stage::Ready);
    CHECK(pulls.size() == 2);

    for (const char *run : { "run-1", "run-2", "run-3", "run-4" }) {
        cache.release(QString::fromLatin1(run));
    }
    CHECK(cache.entry(TestImage)->users.isEmpty());
    CHECK_FALSE(cache.entry(TestImage)->pulledByWorker); // so never removed: the eviction test shows that
}

TEST_CASE(
    "an image that is neither here nor pullable fails with the daemon's message", "[worker][images][docker]")
{
    DockerScope scope;
    QTemporaryDir work;
    ImageCache cache(&scope.client(), work.filePath(QStringLiteral("images-state.json")));
    cache.setFailedRetentionMs(200);
    const QString absent = QStringLiteral("codalab-test/absent:1");
    cache.acquire(QStringLiteral("run-1"), absent);
    const ImageCache::Entry e = settle(cache, absent);
    CHECK(e.stage == Stage::Failed);
    INFO(e.message.toStdString());
    CHECK(e.message.startsWith(QLatin1String("Cannot pull codalab-test/absent:1: ")));
    CHECK(e.message.size() > int(qstrlen("Cannot pull codalab-test/absent:1: ")));
    // Forgotten after a while, so that a later run tries again.
    REQUIRE(QTest::qWaitFor([&] { return !cache.entry(absent); }, 10000));
    CHECK(cache.acquire(QStringLiteral("run-2"), absent).stage == Stage::Pulling);
    CHECK(settle(cache, absent).stage == Stage::Failed);
}

TEST_CASE("eviction removes the least recently used images this worker pulled and no others",
    "[worker][images][docker]")
{
    DockerScope scope;
    docker::DockerClient &client = scope.client();
    TestTags tags { client, {} };
    const QString a = tags.add(QStringLiteral("codalab-test/cache-a")); // used by a run
    const QString b = tags.add(QStringLiteral("codalab-test/cache-b"));
    const QString c = tags.add(QStringLiteral("codalab-test/cache-c"));
    const QString d = tags.add(QStringLiteral("codalab-test/cache-d")); // used most recently
    // The user's own image (a tag, so that a bug here could never take the shared test image away).
    const QString own = tags.add(QStringLiteral("codalab-test/cache-own"));
    const qint64 size
        = docker::ImageInfo::fromInspect(waitReply(client.inspectImage(TestImage)).json.object()).sizeBytes;

    // A state file as a previous run of the worker left it: a..d pulled by it, `own` not.
    QTemporaryDir work;
    const QString stateFile = work.filePath(QStringLiteral("images-state.json"));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonArray images;
    const QStringList order { own, a, b, c, d }; // least recently used first
    for (int i = 0; i < order.size(); ++i) {
        images.append(QJsonObject { { QStringLiteral("image"), order[i] },
            { QStringLiteral("size_bytes"), size }, { QStringLiteral("pulled_by_worker"), order[i] != own },
            { QStringLiteral("last_used"), now.addSecs(i - 100).toString(Qt::ISODateWithMs) },
            { QStringLiteral("last_pull"), now.toString(Qt::ISODateWithMs) } });
    }
    QFile f(stateFile);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(
        QJsonDocument(QJsonObject { { QStringLiteral("version"), 1 }, { QStringLiteral("images"), images } })
            .toJson());
    f.close();

    auto cache = std::make_unique<ImageCache>(&client, stateFile);
    QString error;
    REQUIRE(cache->load(&error));
    CHECK(cache->totalBytes() == 4 * size);
    QSignalSpy pulls(cache.get(), &ImageCache::pullStarted);
    cache->acquire(QStringLiteral("run-1"), a);
    REQUIRE(settle(*cache, a).stage == Stage::Ready);
    CHECK(pulls.isEmpty()); // pulled moments ago, still here: no new pull
    CHECK(cache->entry(a)->pulledByWorker);

    // b and c are the least recently used that no run uses; a is in use, d is newer.
    cache->setMaxBytes(size * 5 / 2);
    CHECK(cache->totalBytes() == 2 * size);
    CHECK_FALSE(cache->entry(b));
    CHECK_FALSE(cache->entry(c));
    REQUIRE(QTest::qWaitFor([&] { return !imageExists(client, b) && !imageExists(client, c); }, 30000));
    CHECK(imageExists(client, a));
    CHECK(imageExists(client, d));
    CHECK(imageExists(client, own));

    // Nothing in use any more: everything it pulled goes, the user's image stays.
    cache->release(QStringLiteral("run-1"));
    cache->setMaxBytes(std::nullopt);
    CHECK(cache->cleanNow() == 2 * size);
    CHECK(cache->totalBytes() == 0);
    REQUIRE(QTest::qWaitFor([&] { return !imageExists(client, a) && !imageExists(client, d); }, 30000));
    CHECK(imageExists(client, own));
    REQUIRE(cache->entry(own));

    // What it remembers survives a restart.
    cache.reset();
    ImageCache again(&client, stateFile);
    REQUIRE(again.load(&error));
    CHECK(again.entries().size() == 1);
    REQUIRE(again.entry(own));
    CHECK_FALSE(again.entry(own)->pulledByWorker);
    CHECK(again.entry(own)->lastUsed == now.addSecs(-100));
}
