// SPDX-License-Identifier: GPL-3.0-or-later
// TrayController against a real codalab-worker: each menu action sends its command and the worker's status
// follows; Stop and Quit ask first; the GPUs of a fake nvidia-smi get one entry each. Without a worker the
// menu says why and only Submit, Open and Quit work. Screenshot: tray-menu.png.
#include "common/desktopsettings.h"
#include "common/workerlink.h"
#include "qstringcatch.h"
#include "support/fakenvidiasmi.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"
#include "tray/notifier.h"
#include "tray/traycontroller.h"
#include "tray/trayicons.h"
#include "tray/traymenu.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;
using Kind = ui::TrayState::Kind;
using Question = ui::TrayController::Question;

namespace {

/// The desktop's side: settings in a temporary file, a link to the worker's socket, the tray over both.
/// Questions are answered by `answer` (the default button unless a test says otherwise) and recorded.
struct Desktop
{
    QTemporaryDir dir;
    QSettings qsettings { dir.filePath(QStringLiteral("desktop.conf")), QSettings::IniFormat };
    ui::DesktopSettings settings { &qsettings };
    ui::WorkerLink link;
    ui::TrayController tray { &link, &settings };
    QList<Question> questions;
    std::optional<QMessageBox::StandardButton> answer;

    explicit Desktop(const QString &socketPath)
    {
        tray.setAsker([this](const Question &q, std::function<void(QMessageBox::StandardButton)> reply) {
            questions << q;
            reply(answer.value_or(q.defaultButton));
        });
        link.setReconnectIntervalMs(100);
        link.setSocketPath(socketPath);
    }

    QAction *action(const char *name)
    {
        auto *a = tray.menu()->findChild<QAction *>(QLatin1String(name));
        REQUIRE(a);
        return a;
    }
    QString availability() const { return link.status().value(QLatin1String("availability")).toString(); }
    QJsonArray gpus() const { return link.status().value(QLatin1String("gpus")).toArray(); }
};

QString plain(QString text)
{
    return text.remove(QLatin1Char('&'));
}

} // namespace

TEST_CASE("the menu's availability actions change the real worker's state", "[gui][tray][worker]")
{
    test::WorkerProcess worker;
    worker.waitReady();
    Desktop d(worker.socketPath());
    REQUIRE(spinUntil([&] { return d.tray.state().kind() == Kind::Idle; }, 30000));
    QAction *available = d.action("availableAction");
    CHECK(available->isEnabled());
    CHECK(available->isChecked());
    CHECK(d.tray.trayIcon()->toolTip() == QStringLiteral("CodaLab worker — available, 1 slot(s) free"));

    available->trigger(); // unticks: pause
    REQUIRE(spinUntil([&] { return d.availability() == QLatin1String("paused"); }, 10000));
    CHECK(d.tray.state().kind() == Kind::Paused);
    CHECK_FALSE(available->isChecked());
    CHECK(d.action("statusLine")->text().startsWith(QLatin1String("Paused")));

    available->trigger(); // ticks: resume
    REQUIRE(spinUntil([&] { return d.availability() == QLatin1String("available"); }, 10000));
    CHECK(available->isChecked());

    const qint64 before = QDateTime::currentSecsSinceEpoch();
    d.action("snooze1hAction")->trigger();
    REQUIRE(spinUntil([&] { return d.availability() == QLatin1String("snoozed"); }, 10000));
    const double until = d.link.status().value(QLatin1String("snooze_until")).toDouble();
    CHECK(until >= before + 3600 - 1);
    CHECK(until <= QDateTime::currentSecsSinceEpoch() + 3600 + 1);
    CHECK(d.tray.state().kind() == Kind::Snoozed);
    CHECK_FALSE(available->isChecked());
    CHECK(d.action("statusLine")->text().startsWith(QLatin1String("Snoozed until ")));
    CHECK(d.tray.trayIcon()->toolTip().startsWith(QStringLiteral("CodaLab worker — snoozed until ")));

    d.action("snooze3hAction")->trigger();
    REQUIRE(spinUntil(
        [&] {
            return d.link.status().value(QLatin1String("snooze_until")).toDouble() >= before + 3 * 3600 - 1;
        },
        10000));

    d.action("drainAction")->trigger();
    REQUIRE(spinUntil(
        [&] {
            return d.availability() == QLatin1String("draining")
                || d.availability() == QLatin1String("drained");
        },
        10000));
    CHECK(d.tray.state().kind() == Kind::Draining);
    CHECK_FALSE(d.action("drainAction")->isEnabled());
    CHECK(d.questions.isEmpty()); // none of these asks
}

TEST_CASE("Stop and give runs back asks first; Yes stops the worker", "[gui][tray][worker]")
{
    test::WorkerProcess worker;
    worker.waitReady();
    Desktop d(worker.socketPath());
    REQUIRE(spinUntil([&] { return d.availability() == QLatin1String("available"); }, 30000));

    d.action("stopAction")->trigger(); // the default answer is Cancel
    REQUIRE(d.questions.size() == 1);
    CHECK(d.questions.first().objectName == QLatin1String("stopQuestion"));
    CHECK(d.questions.first().defaultButton == QMessageBox::Cancel);
    // Still there: a later command is obeyed.
    d.action("availableAction")->trigger();
    REQUIRE(spinUntil([&] { return d.availability() == QLatin1String("paused"); }, 10000));
    CHECK(worker.process().state() == QProcess::Running);

    d.answer = QMessageBox::Yes;
    d.action("stopAction")->trigger();
    REQUIRE(spinUntil([&] { return worker.process().state() == QProcess::NotRunning; }, 30000));
    CHECK(worker.process().exitStatus() == QProcess::NormalExit);
    REQUIRE(spinUntil([&] { return d.tray.state().kind() == Kind::Offline; }, 10000));
    CHECK_FALSE(d.action("availableAction")->isEnabled());
    CHECK_FALSE(d.action("stopAction")->isEnabled());
}

TEST_CASE("one checkable entry per GPU; unticking one disables it on the worker", "[gui][tray][worker]")
{
    test::FakeNvidiaSmi nvidiaSmi(QStringLiteral(FAKE_NVIDIA_SMI));
    test::WorkerProcess worker;
    worker.waitReady();
    Desktop d(worker.socketPath());
    REQUIRE(spinUntil([&] { return d.gpus().size() == 2 && d.tray.state().kind() == Kind::Idle; }, 30000));
    const QList<QAction *> &entries = d.tray.trayMenu()->gpuActions();
    QAction *gpu0 = d.action("gpuAction0");
    QAction *gpu1 = d.action("gpuAction1");
    CHECK(plain(gpu0->text()) == QLatin1String("GPU 0: NVIDIA H100 80GB HBM3 (79.6 GiB)"));
    CHECK(plain(gpu1->text()) == QLatin1String("GPU 1: NVIDIA H100 80GB HBM3 (79.6 GiB)"));
    CHECK(entries.count(gpu0) == 1);
    CHECK(gpu0->isChecked());
    CHECK(gpu1->isChecked());
    CHECK(gpu1->data().toString() == d.gpus().at(1).toObject().value(QLatin1String("uuid")).toString());

    gpu1->trigger();
    REQUIRE(spinUntil(
        [&] { return !d.gpus().at(1).toObject().value(QLatin1String("enabled")).toBool(true); }, 10000));
    CHECK(d.gpus().at(0).toObject().value(QLatin1String("enabled")).toBool());
    CHECK_FALSE(gpu1->isChecked());
    CHECK(gpu0->isChecked());

    QMenu *menu = d.tray.menu();
    menu->popup(QPoint(0, 0));
    REQUIRE(spinUntil([&] { return menu->isVisible(); }, 5000));
    test::saveScreenshot(menu, QStringLiteral("tray-menu.png"));
    menu->hide();

    gpu1->trigger();
    REQUIRE(spinUntil(
        [&] { return d.gpus().at(1).toObject().value(QLatin1String("enabled")).toBool(false); }, 10000));
    CHECK(gpu1->isChecked());
}

TEST_CASE("Quit asks whether the worker keeps running; the default keeps it", "[gui][tray][worker]")
{
    test::WorkerProcess worker;
    worker.waitReady();
    Desktop d(worker.socketPath());
    REQUIRE(spinUntil([&] { return d.tray.state().canCommand(); }, 30000));
    QSignalSpy quit(&d.tray, &ui::TrayController::quitRequested);

    d.action("quitAction")->trigger();
    REQUIRE(d.questions.size() == 1);
    CHECK(d.questions.first().objectName == QLatin1String("quitQuestion"));
    CHECK(d.questions.first().text == QLatin1String("Keep the worker running after CodaLab Desktop quits?"));
    CHECK(d.questions.first().defaultButton == QMessageBox::Yes);
    REQUIRE(quit.size() == 1);
    CHECK(quit.takeFirst().at(0).toBool() == false); // stopWorker: no

    d.answer = QMessageBox::No;
    d.action("quitAction")->trigger();
    REQUIRE(quit.size() == 1);
    CHECK(quit.takeFirst().at(0).toBool() == true);

    d.answer = QMessageBox::Cancel;
    d.action("quitAction")->trigger();
    CHECK(quit.isEmpty());
    // The controller only asks; the worker is the app's to stop.
    CHECK(worker.process().state() == QProcess::Running);

    SECTION("the real question, answered with Return, keeps the worker")
    {
        d.tray.setAsker({});
        d.action("quitAction")->trigger();
        QMessageBox *box = nullptr;
        REQUIRE(spinUntil(
            [&] {
                for (QWidget *w : QApplication::topLevelWidgets()) {
                    if (w->objectName() == QLatin1String("quitQuestion") && w->isVisible()) {
                        box = qobject_cast<QMessageBox *>(w);
                    }
                }
                return box != nullptr;
            },
            5000));
        CHECK(box->defaultButton() == box->button(QMessageBox::Yes));
        // The buttons name the choices, not Yes / No.
        CHECK(box->button(QMessageBox::Yes)->text() == QLatin1String("&Keep the worker running"));
        CHECK(box->button(QMessageBox::No)->text() == QLatin1String("&Stop the worker"));
        CHECK(quit.isEmpty()); // nothing until answered: open(), not exec()
        QTest::keyClick(box, Qt::Key_Return);
        REQUIRE(spinUntil([&] { return quit.size() == 1; }, 5000));
        CHECK(quit.first().at(0).toBool() == false);
    }
}

TEST_CASE("without a worker the menu says why and only Submit, Open and Quit work", "[gui][tray]")
{
    QTemporaryDir dir;
    Desktop d(dir.filePath(QStringLiteral("no-worker.sock")));
    REQUIRE(spinUntil([&] { return !d.link.lastError().isEmpty(); }, 10000));
    CHECK(d.tray.state().kind() == Kind::Offline);
    QAction *status = d.action("statusLine");
    CHECK_FALSE(status->isEnabled());
    CHECK(status->text().startsWith(QLatin1String("Offline: ")));
    CHECK(d.tray.menu()->actions().first() == status);
    for (const char *name : { "availableAction", "snooze1hAction", "snooze3hAction", "snooze8hAction",
             "drainAction", "stopAction" }) {
        INFO(name);
        CHECK_FALSE(d.action(name)->isEnabled());
    }
    CHECK(d.tray.menu()->findChild<QAction *>(QStringLiteral("gpuAction0")) == nullptr);

    QSignalSpy submit(&d.tray, &ui::TrayController::submitRequested);
    QSignalSpy open(&d.tray, &ui::TrayController::showWindowRequested);
    QSignalSpy toggle(&d.tray, &ui::TrayController::toggleWindowRequested);
    QSignalSpy quit(&d.tray, &ui::TrayController::quitRequested);
    d.action("submitAction")->trigger();
    d.action("openAction")->trigger();
    Q_EMIT d.tray.trayIcon()->activated(QSystemTrayIcon::Trigger); // a left click
    Q_EMIT d.tray.trayIcon()->activated(QSystemTrayIcon::Context); // the menu, not the window
    d.action("quitAction")->trigger();
    CHECK(submit.size() == 1);
    CHECK(open.size() == 1);
    CHECK(toggle.size() == 1);
    REQUIRE(quit.size() == 1);
    CHECK(quit.first().at(0).toBool() == false);
    CHECK(d.questions.isEmpty()); // no worker: nothing to ask about
}

TEST_CASE("with no system tray the window is told once ever, and notifications go to it", "[gui][tray]")
{
    QTemporaryDir dir;
    const QString socket = dir.filePath(QStringLiteral("no-worker.sock"));
    auto first = std::make_unique<Desktop>(socket);
    REQUIRE_FALSE(first->tray.isTrayAvailable()); // the offscreen platform has none
    QSignalSpy unavailable(&first->tray, &ui::TrayController::trayUnavailable);
    REQUIRE(unavailable.wait(5000));
    CHECK(unavailable.first().at(0).toString() == ui::TrayController::noTrayReason());
    CHECK(first->settings.noTrayHintShown());

    QSignalSpy withoutTray(&first->tray, &ui::TrayController::notificationWithoutTray);
    Q_EMIT first->tray.notifier()->notify(
        QStringLiteral("Run finished"), QStringLiteral("run 0x12 finished."));
    REQUIRE(withoutTray.size() == 1);
    CHECK(withoutTray.first().at(1).toString() == QLatin1String("run 0x12 finished."));

    // The same settings again: no second hint. A controller with fresh settings, created after it, is told;
    // its queued hint comes after the one the second would have sent.
    ui::TrayController again(&first->link, &first->settings);
    QSignalSpy againSpy(&again, &ui::TrayController::trayUnavailable);
    Desktop fresh(socket);
    QSignalSpy freshSpy(&fresh.tray, &ui::TrayController::trayUnavailable);
    REQUIRE(freshSpy.wait(5000));
    CHECK(againSpy.isEmpty());
    CHECK(unavailable.size() == 1);
}

TEST_CASE("the monochrome setting switches the tray icon's style at once, and back", "[gui][tray]")
{
    QTemporaryDir dir;
    Desktop d(dir.filePath(QStringLiteral("no-worker.sock")));
    REQUIRE(d.tray.state().kind() == Kind::Offline);
    const auto shown = [&] { return d.tray.currentIcon().pixmap(QSize(22, 22), 1.0).toImage(); };
    const QImage colour = ui::TrayIcons::pixmap(Kind::Offline, 0, 22).toImage();
    const QImage monochrome
        = ui::TrayIcons::pixmap(Kind::Offline, 0, 22, 1.0, ui::TrayIcons::Style::Monochrome).toImage();
    REQUIRE(colour != monochrome);
    CHECK(shown() == colour);

    d.settings.setMonochromeTrayIcon(true); // as the settings dialog saves it
    CHECK(shown() == monochrome);
    CHECK(d.tray.trayIcon()->icon().pixmap(QSize(22, 22), 1.0).toImage() == monochrome);

    d.settings.setMonochromeTrayIcon(false);
    CHECK(shown() == colour);
}
