// SPDX-License-Identifier: GPL-3.0-or-later
// The caches page against a real codalab-worker --local, restarted over caches a previous process left:
// a dependency no run uses and an image the worker pulled (a tag of the offline test image, since nothing
// can be pulled here), while a run holds the test image itself. "Clean now" removes exactly the first two.
#include "common/workerlink.h"
#include "machine/cachemodel.h"
#include "machine/cachespage.h"
#include "server/runrequest.h"
#include "server/runsubmission.h"
#include "support/dockertestenv.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"
#include "worker/dependencycachestate.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageBox>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;
using codalab::test::TestImage;
using codalab::test::waitReply;
using codalab::ui::CacheModel;

namespace {

const QString CachedBundle
    = QStringLiteral("0x") + QStringLiteral("c0ffee").repeated(5) + QStringLiteral("00");

/// Clicks `button` of the message box that opens next and keeps its informative text.
void answerNextMessageBox(const QString &button, QString *informative)
{
    QTimer::singleShot(0, [button, informative] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        REQUIRE(box);
        *informative = box->informativeText();
        QTest::mouseClick(test::findButton(box, button), Qt::LeftButton);
    });
}

int rowOf(const CacheModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, CacheModel::NameColumn).data().toString() == name) {
            return row;
        }
    }
    return -1;
}

/// What a worker that ran before leaves in its work dir: one dependency (2 KiB, last used an hour ago) and
/// `pulled` in the image cache's state as pulled by the worker.
void seedCaches(const QString &workDir, const QString &pulled)
{
    const worker::DependencyKey key { CachedBundle, QString() };
    const QString name = worker::DependencyCacheState::entryName(key);
    REQUIRE(QDir().mkpath(workDir + QStringLiteral("/dependencies/") + name));
    QFile data(workDir + QStringLiteral("/dependencies/") + name + QStringLiteral("/data.bin"));
    REQUIRE(data.open(QIODevice::WriteOnly));
    data.write(QByteArray(2048, 'd'));
    data.close();
    worker::DependencyRecord record;
    record.key = key;
    record.name = name;
    record.stage = QStringLiteral("ready");
    record.sizeBytes = 2048;
    record.lastUsed = QDateTime::currentDateTimeUtc().addSecs(-3600);
    QString error;
    REQUIRE(worker::DependencyCacheState::write(
        workDir + QStringLiteral("/dependencies-state.json"), { record }, &error));

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QJsonObject image { { QStringLiteral("image"), pulled }, { QStringLiteral("size_bytes"), 4324896 },
        { QStringLiteral("pulled_by_worker"), true },
        { QStringLiteral("last_used"), now.addSecs(-600).toString(Qt::ISODateWithMs) },
        { QStringLiteral("last_pull"), now.toString(Qt::ISODateWithMs) } };
    QFile state(workDir + QStringLiteral("/images-state.json"));
    REQUIRE(state.open(QIODevice::WriteOnly));
    state.write(QJsonDocument(
        QJsonObject { { QStringLiteral("version"), 1 }, { QStringLiteral("images"), QJsonArray { image } } })
                    .toJson());
}

} // namespace

TEST_CASE("the caches page lists the worker's caches and Clean now removes only what no run uses",
    "[gui][machine][caches][worker]")
{
    docker::DockerClient docker;
    const QString pulled
        = QStringLiteral("codalab-test/caches-page:%1").arg(QRandomGenerator::global()->generate(), 0, 16);
    REQUIRE(waitReply(docker.tagImage(TestImage, pulled.section(QLatin1Char(':'), 0, 0),
                          pulled.section(QLatin1Char(':'), 1)))
                .ok());
    const auto untag = qScopeGuard([&] { waitReply(docker.removeImage(pulled)); });

    test::WorkerProcess worker;
    worker.waitReady();
    worker.process().terminate();
    REQUIRE(worker.process().waitForFinished(20000));
    seedCaches(worker.workDir(), pulled);
    worker.process().start();
    REQUIRE(worker.process().waitForStarted(10000));

    ui::WorkerLink link;
    REQUIRE(test::connectLink(link, worker, 30000));

    // A run holds the test image while the page looks.
    test::ClientSession session(worker.serverUrl(), QStringLiteral("codalab"), worker.password());
    server::RunRequest request;
    request.command = QStringLiteral("sleep 30");
    request.image = TestImage;
    request.network = false;
    server::RunSubmission *submission = session.client.submitRun(request);
    QSignalSpy submitted(submission, &server::RunSubmission::finished);
    REQUIRE(submitted.wait(30000));

    ui::CachesPage page(&link);
    page.setRefreshIntervalMs(500);
    page.resize(1000, 650);
    page.show();
    CacheModel *model = page.cacheModel();
    REQUIRE(spinUntil(
        [&] {
            const int row = rowOf(model, TestImage);
            return row >= 0 && model->index(row, 0).data(CacheModel::InUseRole).toBool()
                && model->index(row, CacheModel::StateColumn)
                       .data()
                       .toString()
                       .startsWith(QLatin1String("Ready"))
                && rowOf(model, pulled) >= 0 && rowOf(model, CachedBundle) >= 0;
        },
        60000));
    CHECK(model->rowCount() == 3);
    const int dep = rowOf(model, CachedBundle);
    CHECK(model->index(dep, CacheModel::KindColumn).data().toString() == QLatin1String("Dependency"));
    CHECK(model->index(dep, CacheModel::SizeColumn).data().toString() == QLatin1String("2 KiB"));
    CHECK(model->index(dep, CacheModel::LastUsedColumn).data().toString() == QLatin1String("1 h ago"));
    CHECK(model->index(dep, CacheModel::InUseColumn).data().toString() == QLatin1String("No"));
    CHECK(model->index(rowOf(model, pulled), CacheModel::StateColumn).data().toString()
        == QStringLiteral("Ready · pulled by the worker"));
    CHECK(model->index(rowOf(model, TestImage), CacheModel::StateColumn).data().toString()
        == QStringLiteral("Ready · kept: not pulled by the worker"));
    CHECK(page.dependenciesText() == QLatin1String("1 entry(ies), 2 KiB of 10 GiB"));
    CHECK(page.imagesText() == QLatin1String("1 image(s), 4.1 MiB (no limit)"));
    test::saveScreenshot(&page, QStringLiteral("caches.png"));

    // Cancel removes nothing.
    QSignalSpy cleaned(&page, &ui::CachesPage::cleaned);
    QAbstractButton *clean = test::findButton(&page, QStringLiteral("Clean now…"));
    QString informative;
    answerNextMessageBox(QStringLiteral("Cancel"), &informative);
    QTest::mouseClick(clean, Qt::LeftButton);
    REQUIRE(spinUntil([] { return QApplication::activeModalWidget() == nullptr; }, 5000));
    CHECK(informative.contains(QLatin1String("no run uses")));
    CHECK(informative.contains(QLatin1String("images the worker did not pull are kept")));
    QTest::qWait(200);
    CHECK(cleaned.isEmpty());

    answerNextMessageBox(QStringLiteral("Clean now"), &informative);
    QTest::mouseClick(clean, Qt::LeftButton);
    REQUIRE(cleaned.wait(20000));
    const QJsonObject result = cleaned.first().first().toJsonObject();
    const QJsonArray removedDeps = result[QLatin1String("dependencies")][QLatin1String("removed")].toArray();
    REQUIRE(removedDeps.size() == 1);
    CHECK(removedDeps.at(0)[QLatin1String("bundle_uuid")].toString() == CachedBundle);
    const QJsonArray removedImages = result[QLatin1String("images")][QLatin1String("removed")].toArray();
    REQUIRE(removedImages.size() == 1);
    CHECK(removedImages.at(0)[QLatin1String("image")].toString() == pulled);
    CHECK(page.resultText() == QLatin1String("Removed 1 dependency(ies) and 1 image(s); freed 4.1 MiB."));

    // Gone from the disk, from Docker and from the table; the image a run uses stays.
    REQUIRE(spinUntil([&] { return rowOf(model, CachedBundle) < 0 && rowOf(model, pulled) < 0; }, 20000));
    CHECK(rowOf(model, TestImage) >= 0);
    REQUIRE(spinUntil([&] { return !waitReply(docker.inspectImage(pulled)).ok(); }, 20000));
    CHECK(waitReply(docker.inspectImage(TestImage)).ok());
    REQUIRE(spinUntil(
        [&] {
            return QDir(worker.workDir() + QStringLiteral("/dependencies"))
                .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)
                .isEmpty();
        },
        20000));
    REQUIRE(spinUntil(
        [&] { return page.dependenciesText() == QLatin1String("0 entry(ies), 0 B of 10 GiB"); }, 10000));
    CHECK(page.imagesText() == QLatin1String("0 image(s), 0 B (no limit)"));
}
