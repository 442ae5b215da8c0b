// SPDX-License-Identifier: GPL-3.0-or-later
// The worker's dependency cache against codalab-local-server, and against scripted servers for what a real
// one does not do on demand (hostile archives, downloads that hang).
#include "localserver/localserverfixture.h"
#include "server/contentsdownload.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "server/workerapi.h"
#include "support/codalabtestdata.h"
#include "util/tarbuilder.h"
#include "worker/cachetestsupport.h"
#include "worker/dependencycache.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace codalab;
using codalab::test::LocalServerFixture;
using codalab::test::WorkerClient;
using codalab::worker::DependencyCache;
using codalab::worker::DependencyKey;
using Stage = DependencyCache::Stage;

namespace {

const QString FakeUuid = QStringLiteral("0x") + QString(32, QLatin1Char('a'));

/// A cache in a temporary work dir whose downloads go through `client`, counting them.
struct CacheUnderTest
{
    QTemporaryDir work;
    WorkerClient *client;
    util::ArchiveLimits limits;
    int downloads = 0;
    std::unique_ptr<DependencyCache> cache;

    explicit CacheUnderTest(WorkerClient *c)
        : client(c)
    {
        REQUIRE(work.isValid());
        recreate();
    }

    QString directory() const { return work.filePath(QStringLiteral("dependencies")); }
    QString stateFile() const { return work.filePath(QStringLiteral("dependencies-state.json")); }

    /// A new cache object over the same directory and state file, loaded.
    void recreate()
    {
        cache.reset();
        cache = std::make_unique<DependencyCache>(
            directory(), stateFile(), [this](const DependencyKey &key, const QString &target) {
                ++downloads;
                return client->api.downloadDependency(key.parentUuid, key.parentPath, target, limits);
            });
        QString error;
        INFO(error.toStdString());
        REQUIRE(cache->load(&error));
    }

    /// Waits until `key` is no longer downloading and returns where it ended.
    DependencyCache::Entry settle(const DependencyKey &key)
    {
        REQUIRE(QTest::qWaitFor(
            [&] {
                const auto e = cache->entry(key);
                return e && e->stage != Stage::Downloading;
            },
            30000));
        return *cache->entry(key);
    }

    QStringList files() const
    {
        return QDir(directory())
            .entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    }
};

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

/// A scripted CodaLab server: info says `type`, blob sends `blob` whole or, with `hang`, only its first
/// kilobyte and then nothing, keeping the connection open.
struct ScriptedServer
{
    QTcpServer server;
    QByteArray type = "directory";
    QByteArray blob;
    bool hang = false;
    int blobRequests = 0;
    int disconnects = 0;

    ScriptedServer()
    {
        REQUIRE(server.listen(QHostAddress::LocalHost, 0));
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this] {
            QTcpSocket *s = server.nextPendingConnection();
            auto request = std::make_shared<QByteArray>();
            QObject::connect(s, &QTcpSocket::disconnected, s, [this, s] {
                ++disconnects;
                s->deleteLater();
            });
            QObject::connect(s, &QTcpSocket::readyRead, s, [this, s, request] {
                *request += s->readAll();
                if (!request->contains("\r\n\r\n")) {
                    return;
                }
                const bool info = request->contains("/contents/info/");
                request->clear();
                if (info) {
                    const QByteArray body = R"({"data": {"type": ")" + type + R"(", "name": "x"}})";
                    s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                        + QByteArray::number(body.size()) + "\r\n\r\n" + body);
                    return;
                }
                ++blobRequests;
                s->write("HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nContent-Length: "
                    + QByteArray::number(blob.size()) + "\r\n\r\n" + (hang ? blob.left(1024) : blob));
            });
        });
    }

    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort()); }
};

} // namespace

TEST_CASE("file and directory dependencies land ready with their contents and size", "[worker][cache]")
{
    LocalServerFixture f;
    auto user = f.root();
    WorkerClient client(f.server->url(), f.password);
    CacheUnderTest t(&client);
    const QString file
        = test::createDataset(*user, QStringLiteral("file"), QStringLiteral("data.csv"), "a,b\n1,2\n");
    const QString dir = test::createDataset(*user, QStringLiteral("dir"), QStringLiteral("d.tar.gz"),
        test::TarBuilder().file("./sub/x.txt", "x").file("./run.sh", "echo\n", 0755).finish());
    const DependencyKey fileKey { file, QString() };
    const DependencyKey dirKey { dir, QString() };
    const DependencyKey subKey { dir, QStringLiteral("sub/x.txt") };

    QSignalSpy changed(t.cache.get(), &DependencyCache::changed);
    for (const DependencyKey &key : { fileKey, dirKey, subKey }) {
        const DependencyCache::Entry e = t.cache->acquire(QStringLiteral("run-1"), key);
        CHECK(e.stage == Stage::Downloading);
        CHECK(e.dependents == QSet<QString> { QStringLiteral("run-1") });
    }
    CHECK(t.cache->checkinDependencies().size() == 3);
    CHECK(t.cache->checkinDependencies().contains(QJsonArray { dir, QStringLiteral("sub/x.txt") }));

    const DependencyCache::Entry fileEntry = t.settle(fileKey);
    INFO(fileEntry.message.toStdString());
    REQUIRE(fileEntry.stage == Stage::Ready);
    CHECK(fileEntry.path == t.directory() + QLatin1Char('/') + file);
    CHECK(readFile(fileEntry.path) == "a,b\n1,2\n");
    CHECK(fileEntry.sizeBytes == 8);

    const DependencyCache::Entry dirEntry = t.settle(dirKey);
    REQUIRE(dirEntry.stage == Stage::Ready);
    CHECK(dirEntry.path == t.directory() + QLatin1Char('/') + dir);
    CHECK(readFile(dirEntry.path + QStringLiteral("/sub/x.txt")) == "x");
    CHECK(QFileInfo(dirEntry.path + QStringLiteral("/run.sh")).isExecutable());
    CHECK(dirEntry.sizeBytes == 6); // file bytes: "x" and "echo\n"

    const DependencyCache::Entry subEntry = t.settle(subKey);
    REQUIRE(subEntry.stage == Stage::Ready);
    CHECK(subEntry.path == t.directory() + QLatin1Char('/') + dir + QStringLiteral("_sub_x.txt"));
    CHECK(readFile(subEntry.path) == "x");

    CHECK(t.cache->totalBytes() == 8 + 6 + 1);
    CHECK(t.downloads == 3);
    CHECK(changed.size() >= 6); // at least: added and ready, for each
    // Only the entries themselves are left: no staging names, no partial files.
    QStringList names { file, dir, dir + QStringLiteral("_sub_x.txt") };
    names.sort();
    REQUIRE(QTest::qWaitFor([&] { return t.files() == names; }, 10000));
}

TEST_CASE("runs asking for the same dependency at once share one download", "[worker][cache]")
{
    LocalServerFixture f;
    auto user = f.root();
    WorkerClient client(f.server->url(), f.password);
    CacheUnderTest t(&client);
    const DependencyKey key {
        test::createDataset(*user, QStringLiteral("shared"), QStringLiteral("s.txt"), "shared"), QString()
    };

    t.cache->acquire(QStringLiteral("run-1"), key);
    t.cache->acquire(QStringLiteral("run-2"), key);
    t.cache->acquire(QStringLiteral("run-1"), key); // every pass of a run's PREPARING step asks again
    CHECK(t.downloads == 1);
    const DependencyCache::Entry e = t.settle(key);
    REQUIRE(e.stage == Stage::Ready);
    CHECK(e.dependents == QSet<QString> { QStringLiteral("run-1"), QStringLiteral("run-2") });
    CHECK(t.cache->acquire(QStringLiteral("run-3"), key).stage == Stage::Ready);
    CHECK(t.downloads == 1);

    t.cache->releaseRun(QStringLiteral("run-1"));
    t.cache->release(QStringLiteral("run-2"), key);
    t.cache->release(QStringLiteral("run-3"), key);
    REQUIRE(t.cache->entry(key));
    CHECK(t.cache->entry(key)->dependents.isEmpty());
    CHECK(t.cache->entry(key)->stage == Stage::Ready); // kept for later runs until space is needed
}

TEST_CASE("a missing dependency fails after the configured attempts and is retried once forgotten",
    "[worker][cache][errors]")
{
    LocalServerFixture f;
    auto user = f.root();
    WorkerClient client(f.server->url(), f.password);
    CacheUnderTest t(&client);
    t.cache->setMaxAttempts(2);
    t.cache->setFailedRetentionMs(200);
    const QString uuid
        = test::createDataset(*user, QStringLiteral("later"), QStringLiteral("x.txt"), "contents");
    const DependencyKey missing { uuid, QStringLiteral("not/there") };

    t.cache->acquire(QStringLiteral("run-1"), missing);
    const DependencyCache::Entry failed = t.settle(missing);
    CHECK(failed.stage == Stage::Failed);
    CHECK(failed.message.startsWith(QLatin1String("Dependency download failed: ")));
    CHECK(failed.message.size() > int(qstrlen("Dependency download failed: ")));
    CHECK(t.downloads == 2);
    // Asking again while it is failed does not download again: the run sees the failure.
    CHECK(t.cache->acquire(QStringLiteral("run-2"), missing).stage == Stage::Failed);
    CHECK(t.downloads == 2);

    REQUIRE(QTest::qWaitFor([&] { return !t.cache->entry(missing); }, 10000));
    CHECK(t.cache->acquire(QStringLiteral("run-3"), missing).stage == Stage::Downloading);
    CHECK(t.settle(missing).stage == Stage::Failed);
    CHECK(t.downloads == 4);
    CHECK(QTest::qWaitFor([&] { return t.files().isEmpty(); }, 10000));

    // A key that is not a bundle uuid never reaches the server, and cannot name a path outside the cache.
    const DependencyKey bad { QStringLiteral("../evil"), QString() };
    const DependencyCache::Entry refused = t.cache->acquire(QStringLiteral("run-4"), bad);
    CHECK(refused.stage == Stage::Failed);
    CHECK(refused.message.contains(QLatin1String("../evil")));
    CHECK(t.downloads == 4);
}

TEST_CASE("a dependency that was missing downloads once it exists", "[worker][cache][errors]")
{
    LocalServerFixture f;
    auto user = f.root();
    WorkerClient client(f.server->url(), f.password);
    CacheUnderTest t(&client);
    t.cache->setMaxAttempts(1);
    t.cache->setFailedRetentionMs(100);
    // Contents that may still change (not finalized: a finished bundle's contents are final).
    const QString uuid = test::createDataset(*user, QStringLiteral("later"));
    REQUIRE(user->send("PUT",
                    QStringLiteral("/rest/bundles/%1/contents/blob/?filename=d.tar.gz&finalize_on_success=0")
                        .arg(uuid),
                    test::TarBuilder().file("./other.txt", "other").finish(), "application/octet-stream")
                .status
        == 200);
    const DependencyKey key { uuid, QStringLiteral("y.txt") };
    t.cache->acquire(QStringLiteral("run-1"), key);
    CHECK(t.settle(key).stage == Stage::Failed);
    REQUIRE(QTest::qWaitFor([&] { return !t.cache->entry(key); }, 10000));

    REQUIRE(user->send("PUT", QStringLiteral("/rest/bundles/%1/contents/blob/?filename=d.tar.gz").arg(uuid),
                    test::TarBuilder().file("./y.txt", "now").finish(), "application/octet-stream")
                .status
        == 200);
    t.cache->acquire(QStringLiteral("run-2"), key);
    const DependencyCache::Entry e = t.settle(key);
    INFO(e.message.toStdString());
    REQUIRE(e.stage == Stage::Ready);
    CHECK(readFile(e.path) == "now");
    CHECK(t.downloads == 2);
}

TEST_CASE("an archive that escapes its directory fails at once and writes nothing", "[worker][cache][errors]")
{
    ScriptedServer scripted;
    scripted.blob = test::TarBuilder().file("./ok.txt", "fine").file("../escaped.txt", "gotcha").finish();
    WorkerClient client(scripted.url(), QString());
    CacheUnderTest t(&client);
    const DependencyKey key { FakeUuid, QString() };
    t.cache->acquire(QStringLiteral("run-1"), key);
    const DependencyCache::Entry e = t.settle(key);
    CHECK(e.stage == Stage::Failed);
    INFO(e.message.toStdString());
    CHECK(e.message.startsWith(QLatin1String("Dependency download failed: Refused archive:")));
    CHECK(e.message.contains(QLatin1String("escaped.txt")));
    CHECK(t.downloads == 1); // the same archive would be refused again: no retry
    CHECK(scripted.blobRequests == 1);
    REQUIRE(QTest::qWaitFor([&] { return t.files().isEmpty(); }, 10000));
    CHECK_FALSE(QFileInfo::exists(t.work.filePath(QStringLiteral("escaped.txt"))));

    // Past the expansion limit is refused the same way.
    const DependencyKey big { FakeUuid, QStringLiteral("big") };
    scripted.blob = test::TarBuilder().zeros("./zeros", 1 << 20).finish();
    t.limits.maxBytes = 1000;
    t.cache->acquire(QStringLiteral("run-1"), big);
    const DependencyCache::Entry bomb = t.settle(big);
    CHECK(bomb.stage == Stage::Failed);
    CHECK(bomb.message.startsWith(QLatin1String("Dependency download failed: Refused archive:")));
    CHECK(t.downloads == 2);
}

TEST_CASE("eviction removes the least recently used unused entries and never one in use", "[worker][cache]")
{
    LocalServerFixture f;
    auto user = f.root();
    WorkerClient client(f.server->url(), f.password);
    CacheUnderTest t(&client);
    QList<DependencyKey> keys;
    for (int i = 1; i <= 3; ++i) {
        keys.append({ test::createDataset(*user, QStringLiteral("d%1").arg(i), QStringLiteral("f.bin"),
                          QByteArray(i * 100, 'x')),
            QString() });
    }
    const DependencyKey &a = keys[0]; // 100 bytes, used by run-a all along
    const DependencyKey &b = keys[1]; // 200 bytes
    const DependencyKey &c = keys[2]; // 300 bytes
    for (int i = 0; i < 3; ++i) {
        t.cache->acquire(QStringLiteral("run-%1").arg(QLatin1Char('a' + i)), keys[i]);
        REQUIRE(t.settle(keys[i]).stage == Stage::Ready);
    }
    const QString pathB = t.cache->entry(b)->path;
    t.cache->release(QStringLiteral("run-b"), b); // b is now used less recently than c
    t.cache->release(QStringLiteral("run-c"), c);
    REQUIRE(t.cache->totalBytes() == 600);

    t.cache->setMaxBytes(400);
    CHECK_FALSE(t.cache->entry(b));
    CHECK(t.cache->entry(a));
    CHECK(t.cache->entry(c));
    CHECK(t.cache->totalBytes() == 400);
    REQUIRE(QTest::qWaitFor([&] { return !QFileInfo::exists(pathB); }, 10000));

    t.cache->setMaxBytes(0);
    CHECK_FALSE(t.cache->entry(c));
    REQUIRE(t.cache->entry(a)); // in use: kept although the cache is over its limit
    CHECK(QFileInfo::exists(t.cache->entry(a)->path));

    t.cache->release(QStringLiteral("run-a"), a);
    CHECK(t.cache->cleanNow() == 100);
    CHECK(t.cache->entries().isEmpty());
    CHECK(QTest::qWaitFor([&] { return t.files().isEmpty(); }, 10000));
}

TEST_CASE(
    "the cache survives a restart, cleans orphans and resumes unfinished downloads", "[worker][cache][state]")
{
    LocalServerFixture f;
    auto user = f.root();
    WorkerClient real(f.server->url(), f.password);
    ScriptedServer scripted;
    scripted.type = "file";
    scripted.blob = QByteArray(100000, 'h');
    scripted.hang = true;
    WorkerClient hanging(scripted.url(), QString());
    CacheUnderTest t(&real);
    const DependencyKey kept {
        test::createDataset(*user, QStringLiteral("kept"), QStringLiteral("k.txt"), "kept"), QString()
    };
    const DependencyKey lost {
        test::createDataset(*user, QStringLiteral("lost"), QStringLiteral("l.txt"), "lost"), QString()
    };
    const DependencyKey unfinished { test::createDataset(*user, QStringLiteral("unfinished"),
                                         QStringLiteral("u.txt"), "unfinished"),
        QString() };
    t.cache->acquire(QStringLiteral("run-1"), kept);
    t.cache->acquire(QStringLiteral("run-1"), lost);
    REQUIRE(t.settle(kept).stage == Stage::Ready);
    REQUIRE(t.settle(lost).stage == Stage::Ready);
    const DependencyCache::Entry before = *t.cache->entry(kept);
    t.client = &hanging; // this one will still be downloading when the process "ends"
    t.cache->acquire(QStringLiteral("run-2"), unfinished);
    REQUIRE(QTest::qWaitFor([&] { return t.cache->entry(unfinished)->bytesDownloaded > 0; }, 10000));

    t.cache.reset();
    const QJsonArray saved
        = QJsonDocument::fromJson(readFile(t.stateFile())).object()[QLatin1String("entries")].toArray();
    CHECK(saved.size() == 3);
    REQUIRE(QFile::remove(t.directory() + QLatin1Char('/') + lost.parentUuid));
    QFile stray(t.directory() + QStringLiteral("/stray.txt"));
    REQUIRE(stray.open(QIODevice::WriteOnly));
    stray.close();
    REQUIRE(QDir(t.directory()).mkpath(QStringLiteral(".dl-7-leftover/sub")));

    t.client = &real;
    t.downloads = 0;
    t.recreate();
    const auto after = t.cache->entry(kept);
    REQUIRE(after);
    CHECK(after->stage == Stage::Ready);
    CHECK(after->path == before.path);
    CHECK(after->sizeBytes == 4);
    CHECK(after->dependents == QSet<QString> { QStringLiteral("run-1") });
    CHECK_FALSE(t.cache->entry(lost)); // its file is gone
    REQUIRE(t.cache->entry(unfinished));
    CHECK(t.cache->entry(unfinished)->stage == Stage::Downloading);
    CHECK(t.downloads == 0); // not before a run asks again
    REQUIRE(QTest::qWaitFor([&] { return t.files() == QStringList { kept.parentUuid }; }, 10000));

    t.cache->acquire(QStringLiteral("run-2"), unfinished);
    CHECK(t.downloads == 1);
    const DependencyCache::Entry resumed = t.settle(unfinished);
    REQUIRE(resumed.stage == Stage::Ready);
    CHECK(readFile(resumed.path) == "unfinished");
}

TEST_CASE("a damaged state file is put aside and the cache starts empty", "[worker][cache][state]")
{
    CacheUnderTest t(nullptr); // nothing to download
    t.cache.reset(); // it would write its own state when it goes
    QFile state(t.stateFile());
    REQUIRE(state.open(QIODevice::WriteOnly));
    state.write("{\"entries\": [tru");
    state.close();
    QFile orphan(t.directory() + QStringLiteral("/0x") + QString(32, QLatin1Char('b')));
    REQUIRE(orphan.open(QIODevice::WriteOnly));
    orphan.close();

    t.recreate(); // REQUIREs that load() succeeds
    CHECK(t.cache->entries().isEmpty());
    CHECK(QTest::qWaitFor([&] { return t.files().isEmpty(); }, 10000));
    const QStringList aside
        = QDir(t.work.path()).entryList({ QStringLiteral("dependencies-state.json.corrupt-*") });
    REQUIRE(aside.size() == 1);
    CHECK(readFile(t.work.filePath(aside.first())) == "{\"entries\": [tru");
    CHECK(QJsonDocument::fromJson(readFile(t.stateFile())).object()[QLatin1String("version")].toInt() == 1);
}

TEST_CASE("releasing the last run of a download in flight cancels it", "[worker][cache]")
{
    ScriptedServer scripted;
    scripted.type = "file";
    scripted.blob = QByteArray(100000, 'h');
    scripted.hang = true;
    WorkerClient client(scripted.url(), QString());
    CacheUnderTest t(&client);
    const DependencyKey key { FakeUuid, QStringLiteral("slow") };
    t.cache->acquire(QStringLiteral("run-1"), key);
    t.cache->acquire(QStringLiteral("run-2"), key);
    REQUIRE(QTest::qWaitFor([&] { return t.cache->entry(key)->bytesDownloaded > 0; }, 10000));
    CHECK(t.cache->entry(key)->stage == Stage::Downloading);
    CHECK_FALSE(t.files().isEmpty()); // the partial file

    t.cache->release(QStringLiteral("run-1"), key);
    REQUIRE(t.cache->entry(key)); // run-2 still waits for it
    CHECK(scripted.disconnects == 0);

    QSignalSpy changed(t.cache.get(), &DependencyCache::changed);
    t.cache->releaseRun(QStringLiteral("run-2"));
    CHECK_FALSE(t.cache->entry(key));
    REQUIRE(changed.size() == 1);
    CHECK(changed.first().first().value<DependencyKey>() == key);
    CHECK(QTest::qWaitFor([&] { return scripted.disconnects > 0; }, 10000)); // the transfer was aborted
    CHECK(QTest::qWaitFor([&] { return t.files().isEmpty(); }, 10000));
    CHECK(t.cache->checkinDependencies().isEmpty());
}
