// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard page against a real codalab-worker --local: a run shows up in a slot and in the containers
// table, is killed through the page, and ends killed; with no worker the page says so.
#include "common/englishplurals.h"
#include "common/units.h"
#include "common/workerlink.h"
#include "dashboard/containermodel.h"
#include "dashboard/dashboardpage.h"
#include "dashboard/slotmodel.h"
#include "server/runrequest.h"
#include "server/runsubmission.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;
using codalab::ui::ContainerModel;
using codalab::ui::SlotModel;

namespace {

/// The row of `uuid` in a model whose rows answer `role` with a run uuid; -1 when none.
int rowOf(const QAbstractItemModel *model, int role, const QString &uuid)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(role).toString() == uuid) {
            return row;
        }
    }
    return -1;
}

QString bundleState(server::CodaLabClient &client, const QString &uuid)
{
    const server::ApiResult r = test::waitApi(client.bundle(uuid));
    return r.json.object()[QLatin1String("data")][QLatin1String("attributes")][QLatin1String("state")]
        .toString();
}

/// Clicks `button` of the message box the page opens next, as a user would.
void answerNextMessageBox(const QString &button)
{
    QTimer::singleShot(0, [button] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        REQUIRE(box);
        QTest::mouseClick(test::findButton(box, button), Qt::LeftButton);
    });
}

} // namespace

TEST_CASE("with no worker the dashboard says so instead of showing empty tables", "[gui][dashboard]")
{
    QTemporaryDir dir;
    ui::WorkerLink link;
    link.setSocketPath(dir.filePath(QStringLiteral("none.sock")));
    ui::DashboardPage page(&link);
    page.resize(1000, 650);
    page.show();
    REQUIRE(spinUntil([&] { return !link.lastError().isEmpty(); }, 10000));
    CHECK(page.showsEmptyState());
    const auto shownTexts = [&page] {
        QStringList texts;
        for (QLabel *label : page.findChildren<QLabel *>()) {
            if (label->isVisibleTo(&page)) {
                texts << label->text();
            }
        }
        return texts.join(QLatin1Char('\n'));
    };
    // The link only says why it is down when asked: the page shows the reason within its next tick.
    REQUIRE(spinUntil([&] { return shownTexts().contains(link.lastError()); }, 5000));
    CHECK(shownTexts().contains(QLatin1String("The worker is not running")));
    CHECK(page.slotModel()->rowCount() == 0);

    // The one action that helps: Start the worker.
    QSignalSpy startAsked(&page, &ui::DashboardPage::startWorkerRequested);
    auto *start = page.findChild<QPushButton *>(QStringLiteral("startWorker"));
    REQUIRE(start);
    CHECK(start->isVisible());
    QTest::mouseClick(start, Qt::LeftButton);
    CHECK(startAsked.size() == 1);
    // Once the desktop has launched it, the page says it is starting, with no second way to start it.
    page.setStarting(true);
    CHECK(page.availabilityText() == QStringLiteral("Starting the worker…"));
    CHECK(shownTexts().contains(QStringLiteral("Starting the worker…")));
    CHECK_FALSE(start->isVisible());
    page.setStarting(false);
    CHECK(page.availabilityText() == QLatin1String("Not connected"));
    CHECK(start->isVisible());
    test::saveScreenshot(&page, QStringLiteral("dashboard-no-worker.png"));
}

TEST_CASE("a run shows in its slot and as a container, and the page kills it", "[gui][dashboard][worker]")
{
    test::WorkerProcess worker({ QStringLiteral("--slots"), QStringLiteral("2"), QStringLiteral("--tag"),
        QStringLiteral("gui-lab") });
    worker.waitReady();
    ui::WorkerLink link;
    link.setReconnectIntervalMs(100);
    link.setSocketPath(worker.socketPath());
    ui::DashboardPage page(&link);
    page.resize(1000, 650);
    page.show();
    REQUIRE(spinUntil([&] { return !page.showsEmptyState(); }, 15000));
    // Before its first check-in it is starting, and nothing under the headline says otherwise.
    if (page.connectionText().isEmpty()) {
        CHECK((page.availabilityText() == QStringLiteral("Starting the worker…")
            || page.availabilityText() == QLatin1String("Available")));
    }
    REQUIRE(spinUntil([&] { return page.connectionText().startsWith(QLatin1String("Connected")); }, 15000));
    REQUIRE(spinUntil([&] { return page.availabilityText() == QLatin1String("Available"); }, 5000));
    CHECK(page.slotModel()->rowCount() == 2);
    CHECK(page.slotModel()->index(0, SlotModel::RunColumn).data().toString() == QLatin1String("idle"));
    CHECK(page.containerModel()->rowCount() == 0);

    test::ClientSession session(worker.serverUrl(), QStringLiteral("codalab"), worker.password());
    server::RunRequest request;
    request.command = QStringLiteral("sleep 30");
    request.image = QStringLiteral("codalab-test/busybox:latest");
    request.time = QStringLiteral("1h");
    request.memory = QStringLiteral("512m");
    request.network = false;
    server::RunSubmission *submission = session.client.submitRun(request);
    QSignalSpy submitted(submission, &server::RunSubmission::finished);
    REQUIRE(submitted.wait(30000));
    const QString uuid = submission->bundleUuid();
    REQUIRE_FALSE(uuid.isEmpty());

    ContainerModel *containers = page.containerModel();
    REQUIRE(spinUntil(
        [&] {
            const int row = rowOf(containers, ContainerModel::UuidRole, uuid);
            return row >= 0
                && containers->index(row, 0).data(ContainerModel::StageRole).toString()
                == QLatin1String("RUN_STAGE.RUNNING");
        },
        60000));
    const int slotRow = rowOf(page.slotModel(), SlotModel::RunUuidRole, uuid);
    REQUIRE(slotRow >= 0);
    // One of two slots busy: still available, and the headline says how full it is.
    ui::EnglishPlurals plurals;
    QCoreApplication::installTranslator(&plurals);
    CHECK(page.availabilityText() == QStringLiteral("Available — 1 of 2 slots busy"));
    CHECK(page.slotModel()->index(slotRow, SlotModel::RunColumn).data().toString()
        == ui::Units::shortUuid(uuid) + QStringLiteral("  sleep 30"));
    CHECK(page.slotModel()
              ->index(slotRow, SlotModel::CpusColumn)
              .data()
              .toString()
              .contains(QRegularExpression(QStringLiteral("^\\d+(-\\d+)?(,\\d+(-\\d+)?)*$"))));
    const int row = rowOf(containers, ContainerModel::UuidRole, uuid);
    CHECK(containers->index(row, ContainerModel::ContainerColumn).data().toString()
        == QStringLiteral("codalab_run_") + uuid);
    CHECK(containers->index(row, ContainerModel::BundleColumn).data(Qt::ToolTipRole).toString() == uuid);
    CHECK(containers->index(row, ContainerModel::StageColumn)
              .data()
              .toString()
              .startsWith(QLatin1String("Running")));
    CHECK(containers->index(row, ContainerModel::ImageColumn).data().toString()
        == QLatin1String("codalab-test/busybox:latest"));
    CHECK(containers->index(row, ContainerModel::TimeColumn)
              .data()
              .toString()
              .endsWith(QLatin1String(" / 1:00:00")));
    CHECK(containers->index(row, ContainerModel::MemoryColumn)
              .data()
              .toString()
              .endsWith(QLatin1String(" / 512 MiB")));

    // Selecting the container names its run and run directory (for the log pane).
    QSignalSpy selected(&page, &ui::DashboardPage::runSelected);
    page.containerView()->setFocus();
    page.containerView()->selectRow(row);
    REQUIRE(selected.size() == 1);
    CHECK(selected.first().at(0).toString() == uuid);
    CHECK(QFileInfo(selected.first().at(1).toString()).isDir());
    // Let a stats sample or two come in, so the screenshot shows live figures.
    spinUntil(
        [&] {
            return containers->index(row, ContainerModel::TimeColumn).data().toString()
                > QLatin1String("0:00:02");
        },
        10000);
    test::saveScreenshot(&page, QStringLiteral("dashboard.png"));

    // Cancelling the confirmation kills nothing.
    QPushButton *kill = qobject_cast<QPushButton *>(test::findButton(&page, QStringLiteral("Kill run…")));
    REQUIRE(kill);
    REQUIRE(kill->isEnabled());
    QSignalSpy answered(&page, &ui::DashboardPage::killAnswered); // before acting, so nothing is missed
    answerNextMessageBox(QStringLiteral("Cancel"));
    QTest::mouseClick(kill, Qt::LeftButton);
    REQUIRE(spinUntil([] { return QApplication::activeModalWidget() == nullptr; }, 5000));
    CHECK(answered.isEmpty());
    CHECK(bundleState(session.client, uuid) != QLatin1String("killed"));
    CHECK(rowOf(containers, ContainerModel::UuidRole, uuid) >= 0);

    // Confirmed, the worker kills it and the server records it killed.
    answerNextMessageBox(QStringLiteral("Kill run"));
    QTest::mouseClick(kill, Qt::LeftButton);
    REQUIRE(answered.wait(10000));
    CHECK(answered.first().at(0).toString() == uuid);
    CHECK(answered.first().at(1).toBool());
    REQUIRE(spinUntil([&] { return bundleState(session.client, uuid) == QLatin1String("killed"); }, 60000));
    REQUIRE(spinUntil([&] { return rowOf(containers, ContainerModel::UuidRole, uuid) < 0; }, 30000));
    CHECK(answered.size() == 1); // the one confirmed kill: Cancel had sent none
    CHECK(page.slotModel()->index(slotRow, SlotModel::RunColumn).data().toString() == QLatin1String("idle"));
}

TEST_CASE("the header says the worker's availability in words", "[gui][dashboard][worker]")
{
    test::WorkerProcess worker;
    worker.waitReady();
    ui::WorkerLink link;
    link.setSocketPath(worker.socketPath());
    ui::DashboardPage page(&link);
    page.show();
    REQUIRE(spinUntil([&] { return page.availabilityText() == QLatin1String("Available"); }, 15000));
    link.pause();
    REQUIRE(spinUntil([&] { return page.availabilityText() == QLatin1String("Paused"); }, 10000));
    link.snooze(3600);
    REQUIRE(spinUntil(
        [&] { return page.availabilityText().startsWith(QLatin1String("Snoozed until ")); }, 10000));
    CHECK(page.availabilityText().contains(QRegularExpression(QStringLiteral("\\d\\d:\\d\\d$"))));
    link.drain();
    REQUIRE(spinUntil([&] { return page.availabilityText().startsWith(QLatin1String("Drain")); }, 10000));
    // No runs: draining is over at once.
    REQUIRE(spinUntil(
        [&] { return page.availabilityText() == QLatin1String("Drained: takes no new runs"); }, 10000));

    // The worker goes away: the page says so.
    worker.process().terminate();
    REQUIRE(worker.process().waitForFinished(20000));
    REQUIRE(spinUntil([&] { return page.showsEmptyState(); }, 10000));
}
