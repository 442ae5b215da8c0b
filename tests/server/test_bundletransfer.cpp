// SPDX-License-Identifier: GPL-3.0-or-later
// Uploads (BundleUpload, packed on the fly) and downloads (ContentsDownload) of bundle contents, against
// codalab-local-server on 127.0.0.1: what arrives is byte for byte what was sent, a cancel or a failure
// leaves no half-made bundle, and the server's refusals come back in words.
#include "localserver/localserverfixture.h"
#include "server/bundleupload.h"
#include "server/contentsdownload.h"
#include "support/clientsession.h"
#include "support/codalabtestdata.h"
#include "support/smalldisk.h"
#include "support/spinuntil.h"
#include "support/testfiles.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace codalab;
using namespace codalab::server;
using codalab::test::ClientSession;
using codalab::test::digestTree;
using codalab::test::LocalServerFixture;
using codalab::test::writeFile;
using codalab::test::writeNoise;

namespace {

UploadResult runUpload(BundleUpload *upload, int timeoutMs = 120000)
{
    QSignalSpy done(upload, &BundleUpload::finished);
    upload->start();
    REQUIRE(done.wait(timeoutMs));
    return done.first().first().value<UploadResult>();
}

QString stateOf(LocalServerFixture &f, const QString &uuid)
{
    auto c = f.root();
    const test::HttpResult r = c->get(QStringLiteral("/rest/bundles/") + uuid);
    return r.status == 404
        ? QStringLiteral("gone")
        : r.json.object()[QLatin1String("data")][QLatin1String("attributes")][QLatin1String("state")]
              .toString();
}

} // namespace

TEST_CASE("a folder uploaded on the fly arrives whole and downloads back byte for byte", "[server][upload]")
{
    LocalServerFixture f;
    ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password, TokenManager::Mode::Relogin);
    QTemporaryDir work;
    const QString src = work.filePath(QStringLiteral("données 🎲"));
    QByteArray big;
    for (int i = 0; i < 200000; ++i) {
        big += "line " + QByteArray::number(i) + " of a file big enough to take several blocks\n";
    }
    writeFile(src + QStringLiteral("/train.py"), "print('hi')\n");
    writeFile(src + QStringLiteral("/data/big.txt"), big);
    writeFile(src + QStringLiteral("/data/empty.bin"), {});
    REQUIRE(QFile::link(QStringLiteral("data/big.txt"), src + QStringLiteral("/link")));

    auto c = f.root();
    UploadRequest request;
    request.paths = { src };
    request.worksheetUuid = test::homeWorksheet(*c);
    request.description = QStringLiteral("Unicode ✓ description");
    request.tags = { QStringLiteral("data"), QStringLiteral("ünï") };
    auto *upload = new BundleUpload(&s.connection, request);
    QSignalSpy progress(upload, &BundleUpload::progress);
    const UploadResult result = runUpload(upload);
    INFO(result.error.toStdString());
    REQUIRE(result.ok);
    CHECK(!progress.isEmpty());
    CHECK(progress.last().at(0).toLongLong() == progress.last().at(1).toLongLong()); // all read
    CHECK(progress.last().at(1).toLongLong() == big.size() + 12);

    const test::HttpResult info = c->get(QStringLiteral("/rest/bundles/") + result.bundleUuid);
    const QJsonObject attributes
        = info.json.object()[QLatin1String("data")][QLatin1String("attributes")].toObject();
    CHECK(attributes[QLatin1String("state")].toString() == QLatin1String("ready"));
    const QJsonObject metadata = attributes[QLatin1String("metadata")].toObject();
    CHECK(metadata[QLatin1String("name")].toString()
        == QLatin1String("donn-es-")); // upstream's default name rule
    CHECK(metadata[QLatin1String("description")].toString() == QStringLiteral("Unicode ✓ description"));
    CHECK(metadata[QLatin1String("tags")].toArray().last().toString() == QStringLiteral("ünï"));

    // Back down with the download job, unpacked by SafeArchive: the same tree, links as links.
    const QString back = work.filePath(QStringLiteral("back"));
    auto *download = new ContentsDownload(&s.connection, result.bundleUuid, {}, back, {}, nullptr);
    QSignalSpy downloaded(download, &ContentsDownload::finished);
    download->start();
    REQUIRE(downloaded.wait(60000));
    REQUIRE_FALSE(downloaded.first().first().value<ApiError>().isError());
    CHECK(digestTree(back) == digestTree(src));
}

TEST_CASE("files, archives and several paths are sent as cl upload sends them", "[server][upload]")
{
    LocalServerFixture f;
    ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password, TokenManager::Mode::Relogin);
    QTemporaryDir work;
    writeFile(work.filePath(QStringLiteral("notes.txt")), "just a file\n");
    writeFile(work.filePath(QStringLiteral("d/x.txt")), "in d\n");
    auto c = f.root();
    const QString ws = test::homeWorksheet(*c);
    const auto upload = [&](const QStringList &paths, const QString &name = {}) {
        UploadRequest r;
        r.paths = paths;
        r.worksheetUuid = ws;
        r.name = name;
        const UploadResult result = runUpload(new BundleUpload(&s.connection, r));
        INFO(result.error.toStdString());
        REQUIRE(result.ok);
        return result.bundleUuid;
    };
    const QString file = upload({ work.filePath(QStringLiteral("notes.txt")) });
    CHECK(c->get(QStringLiteral("/rest/bundles/%1/contents/blob/").arg(file)).body == "just a file\n");
    const QString both
        = upload({ work.filePath(QStringLiteral("notes.txt")), work.filePath(QStringLiteral("d")) },
            QStringLiteral("both"));
    CHECK(c->get(QStringLiteral("/rest/bundles/%1/contents/blob/d/x.txt").arg(both)).body == "in d\n");
    CHECK(
        c->get(QStringLiteral("/rest/bundles/%1/contents/blob/notes.txt").arg(both)).body == "just a file\n");
}

TEST_CASE("a cancelled upload leaves no bundle and nothing on the server's disk", "[server][upload][cancel]")
{
    LocalServerFixture f;
    ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password, TokenManager::Mode::Relogin);
    QTemporaryDir work;
    writeNoise(work.filePath(QStringLiteral("big")), 48);
    auto c = f.root();
    UploadRequest request;
    request.paths = { work.filePath(QStringLiteral("big")) };
    request.worksheetUuid = test::homeWorksheet(*c);
    auto *upload = new BundleUpload(&s.connection, request);
    QString uuid;
    QObject::connect(upload, &BundleUpload::progress, upload, [&](qint64 read, qint64 total) {
        if (read > 0 && read < total && uuid.isEmpty()) {
            uuid = upload->bundleUuid();
            upload->cancel();
        }
    });
    const UploadResult result = runUpload(upload);
    REQUIRE_FALSE(uuid.isEmpty());
    CHECK(result.cancelled);
    CHECK_FALSE(result.ok);
    CHECK(test::spinUntil([&] { return stateOf(f, uuid) == QLatin1String("gone"); }, 10000));
    const QDir bundles(f.dataDir.filePath(QStringLiteral("bundles")));
    CHECK(test::spinUntil(
        [&] { return bundles.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty(); },
        10000));
    CHECK(test::spinUntil(
        [&] {
            return QDir(f.dataDir.filePath(QStringLiteral("tmp")))
                .isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot);
        },
        10000));
}

TEST_CASE("uploads that cannot be made say why and leave nothing", "[server][upload][errors]")
{
    LocalServerFixture f;
    ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password, TokenManager::Mode::Relogin);
    QTemporaryDir work;
    writeFile(work.filePath(QStringLiteral("ok.txt")), "x");
    auto c = f.root();
    UploadRequest request;
    request.worksheetUuid = test::homeWorksheet(*c);

    request.paths = { work.filePath(QStringLiteral("missing")) };
    UploadResult r = runUpload(new BundleUpload(&s.connection, request));
    CHECK_FALSE(r.ok);
    CHECK(r.error.contains(QLatin1String("does not exist")));
    CHECK(r.bundleUuid.isEmpty()); // refused before anything was made

    request.paths = { work.filePath(QStringLiteral("ok.txt")) };
    request.name = QStringLiteral("9 not a name");
    r = runUpload(new BundleUpload(&s.connection, request));
    CHECK_FALSE(r.ok);
    CHECK(r.error.contains(QLatin1String("Names must match")));

    // The server goes away while the body is on its way.
    request.name.clear();
    writeNoise(work.filePath(QStringLiteral("gone")), 32);
    request.paths = { work.filePath(QStringLiteral("gone")) };
    auto *upload = new BundleUpload(&s.connection, request);
    QObject::connect(upload, &BundleUpload::progress, upload, [&](qint64 read, qint64) {
        if (read > 0 && f.server) {
            f.server.reset();
        }
    });
    r = runUpload(upload);
    CHECK_FALSE(r.ok);
    CHECK_FALSE(r.cancelled);
    CHECK(r.error.startsWith(QLatin1String("The upload stopped")));
}

TEST_CASE(
    "a save onto a disk that fills up says so and leaves nothing half-written", "[server][download][disk]")
{
    test::SmallDisk disk("16m");
    if (!disk.mounted) {
        WARN("skipped: cannot mount a tmpfs here (needs root)");
        return;
    }
    LocalServerFixture f;
    ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password, TokenManager::Mode::Relogin);
    QTemporaryDir work;
    writeNoise(work.filePath(QStringLiteral("big")), 20); // 20 files of 1 MiB that do not compress
    QByteArray noise(8 << 20, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
    writeFile(work.filePath(QStringLiteral("big/large.bin")), noise);
    auto c = f.root();
    UploadRequest request;
    request.paths = { work.filePath(QStringLiteral("big")) };
    request.worksheetUuid = test::homeWorksheet(*c);
    const UploadResult up = runUpload(new BundleUpload(&s.connection, request));
    REQUIRE(up.ok);
    for (const bool folder : { true, false }) {
        // Whole folder, or one file of it too big for what is left.
        util::ArchiveLimits limits;
        limits.maxBytes = qint64(1) << 40; // as if the disk said nothing: the write itself must fail
        const QString target = disk.path() + (folder ? QStringLiteral("/saved") : QStringLiteral("/one.bin"));
        disk.fill(4 * 1024 * 1024);
        auto *download = new ContentsDownload(&s.connection, up.bundleUuid,
            folder ? QString() : QStringLiteral("large.bin"), target, limits, nullptr);
        QSignalSpy done(download, &ContentsDownload::finished);
        download->start();
        REQUIRE(done.wait(60000));
        const ApiError error = done.first().first().value<ApiError>();
        INFO(error.message.toStdString());
        CHECK(error.isError());
        CHECK((error.message.contains(QLatin1String("No space left on device"))
            || error.message.contains(QLatin1String("disk"))));
        disk.unfill();
        // Nothing but what was there: no partial file, no half-unpacked folder.
        CHECK(QDir(disk.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    }
}
