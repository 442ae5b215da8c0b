// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's frame: a Worker menu with only the worker's actions (the tray's menu also opens the
// window, submits and quits, which the window has in File), and closing to the tray said, once.
#include "common/desktopsettings.h"
#include "shell/mainwindow.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"
#include "tray/traymenu.h"
#include "tray/traystate.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QJsonObject>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;

namespace {

/// The "still running in the tray" box, when it shows.
QMessageBox *findNotice()
{
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (w->objectName() == QLatin1String("hiddenToTrayNotice") && w->isVisible()) {
            return qobject_cast<QMessageBox *>(w);
        }
    }
    return nullptr;
}

} // namespace

TEST_CASE("the Worker menu keeps the actions that belong to the worker", "[gui][shell][mainwindow]")
{
    ui::MainWindow window;
    ui::TrayMenu tray;
    window.setWorkerMenu(&tray);
    window.fillWorkerMenu();
    QStringList names;
    for (QAction *action : window.workerMenu()->actions()) {
        if (!action->isSeparator()) {
            names << action->objectName();
        }
    }
    CHECK(names.contains(QLatin1String("availableAction")));
    CHECK(names.contains(QLatin1String("snooze1hAction")));
    CHECK(names.contains(QLatin1String("drainAction")));
    CHECK(names.contains(QLatin1String("stopAction")));
    CHECK_FALSE(names.contains(QLatin1String("quitAction"))); // File has Quit
    CHECK_FALSE(names.contains(QLatin1String("openAction"))); // the window is open
    CHECK_FALSE(names.contains(QLatin1String("submitAction"))); // File has Submit run…
    CHECK_FALSE(window.workerMenu()->actions().constLast()->isSeparator());
    // The same actions, not copies: ticking one in the window is ticking it in the tray.
    CHECK(window.workerMenu()->actions().contains(
        tray.findChild<QAction *>(QStringLiteral("availableAction"))));
    // Filled again, nothing doubles, and the tray keeps its own.
    const qsizetype count = window.workerMenu()->actions().size();
    window.fillWorkerMenu();
    CHECK(window.workerMenu()->actions().size() == count);
    CHECK(tray.findChild<QAction *>(QStringLiteral("quitAction")) != nullptr);
    CHECK(tray.actions().contains(tray.findChild<QAction *>(QStringLiteral("quitAction"))));

    // "Start the worker" is offered while no worker answers, and only then.
    QAction *start = tray.startAction();
    CHECK(start->isVisible());
    CHECK(window.workerMenu()->actions().contains(start));
    const QJsonObject status { { QStringLiteral("availability"), QStringLiteral("available") },
        { QStringLiteral("server"), QJsonObject { { QStringLiteral("connected"), true } } } };
    tray.setState(ui::TrayState::fromStatus(true, status), status);
    CHECK_FALSE(start->isVisible());
}

TEST_CASE("closing the window to the tray is said, with Don't show this again", "[gui][shell][mainwindow]")
{
    ui::MainWindow window;
    window.setHideOnClose(true);
    QSignalSpy hidden(&window, &ui::MainWindow::hiddenToTray);
    QSignalSpy quit(&window, &ui::MainWindow::quitRequested);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    window.close();
    CHECK_FALSE(window.isVisible());
    CHECK(hidden.size() == 1);
    CHECK(quit.isEmpty());

    CHECK(findNotice() == nullptr); // no settings given: nothing said

    // With settings: said on the first close, and "Don't show this again" is kept.
    QTemporaryDir dir;
    QSettings qs(dir.filePath(QStringLiteral("d.conf")), QSettings::IniFormat);
    ui::DesktopSettings settings(&qs);
    window.setNoticeSettings(&settings);
    CHECK(settings.hiddenToTrayNotice());
    window.show();
    window.close();
    QMessageBox *box = nullptr;
    REQUIRE(spinUntil([&] { return (box = findNotice()) != nullptr; }, 5000));
    CHECK(box->text().contains(QLatin1String("system tray")));
    REQUIRE(box->checkBox());
    CHECK(box->checkBox()->text() == QLatin1String("&Don't show this again"));
    box->checkBox()->setChecked(true);
    QTest::mouseClick(box->button(QMessageBox::Ok), Qt::LeftButton);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    CHECK_FALSE(settings.hiddenToTrayNotice());
    window.show();
    window.close();
    QTest::qWait(50);
    CHECK(findNotice() == nullptr);
    CHECK(hidden.size() == 3);

    window.setHideOnClose(false); // no tray: closing asks to quit
    window.show();
    window.close();
    CHECK(quit.size() == 1);
    CHECK(hidden.size() == 3);
}
