// SPDX-License-Identifier: GPL-3.0-or-later
#include "tray/traycontroller.h"

#include "common/desktopsettings.h"
#include "common/workerlink.h"
#include "tray/notificationsender.h"
#include "tray/notifier.h"
#include "tray/trayicons.h"
#include "tray/traymenu.h"

#include <QAction>
#include <QPushButton>
#include <QSystemTrayIcon>
#include <QTimer>

namespace codalab::ui {

namespace { } // namespace

TrayController::TrayController(WorkerLink *worker, DesktopSettings *settings, QObject *parent)
    : QObject(parent)
    , m_worker(worker)
    , m_settings(settings)
    , m_menu(std::make_unique<TrayMenu>())
    , m_tray(new QSystemTrayIcon(this))
    , m_notifier(new Notifier(settings, this))
    , m_sender(new NotificationSender(m_tray, QDBusConnection::sessionBus(), this))
{
    connect(m_sender, &NotificationSender::sentNowhere, this, &TrayController::notificationWithoutTray);
    m_tray->setContextMenu(m_menu.get());
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger) {
            Q_EMIT toggleWindowRequested();
        }
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayController::showWindowRequested);

    connect(m_menu->availableAction(), &QAction::triggered, this, &TrayController::onAvailableToggled);
    for (QAction *action : m_menu->snoozeActions()) {
        connect(action, &QAction::triggered, this,
            [this, action] { m_worker->snooze(action->data().toInt(), resyncOnFailure()); });
    }
    connect(m_menu->drainAction(), &QAction::triggered, this, [this] { m_worker->drain(resyncOnFailure()); });
    connect(m_menu->stopAction(), &QAction::triggered, this, &TrayController::onStop);
    connect(m_menu.get(), &TrayMenu::gpuToggled, this, [this](const QString &uuid, bool enabled) {
        m_worker->setGpuEnabled(uuid, enabled, resyncOnFailure());
    });
    connect(m_menu->submitAction(), &QAction::triggered, this, &TrayController::submitRequested);
    connect(m_menu->startAction(), &QAction::triggered, this, &TrayController::startWorkerRequested);
    connect(m_menu->openAction(), &QAction::triggered, this, &TrayController::showWindowRequested);
    connect(m_menu->quitAction(), &QAction::triggered, this, &TrayController::onQuit);

    connect(m_worker, &WorkerLink::statusChanged, this, &TrayController::refresh);
    connect(m_worker, &WorkerLink::connectionChanged, this, &TrayController::refresh);
    connect(m_notifier, &Notifier::notify, this, &TrayController::showNotification);
    connect(m_worker, &WorkerLink::eventReceived, m_notifier,
        [this](const QString &name, const QJsonValue &data) {
            if (name == QLatin1String("runEnded")) {
                m_notifier->runEnded(data.toObject());
            }
        });
    connect(m_settings, &DesktopSettings::changed, this, &TrayController::updateIcon);
    refresh();

    if (isTrayAvailable()) {
        m_tray->show();
    } else if (!m_settings->noTrayHintShown()) {
        // Queued, so whoever creates the controller can connect to it first.
        QTimer::singleShot(0, this, [this] {
            if (!m_settings->noTrayHintShown()) {
                m_settings->setNoTrayHintShown(true);
                Q_EMIT trayUnavailable(noTrayReason());
            }
        });
    }
}

TrayController::~TrayController()
{
    // The icon refers to the menu, which a unique_ptr member would delete first.
    delete m_tray;
}

QMenu *TrayController::menu() const
{
    return m_menu.get();
}

bool TrayController::isTrayAvailable() const
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

QString TrayController::noTrayReason()
{
    return tr(
        "This desktop has no system tray (plain GNOME needs the AppIndicator extension for one), so "
        "CodaLab Desktop stays an ordinary window. The worker keeps running when the window is closed.");
}

void TrayController::setAsker(Asker asker)
{
    m_asker = std::move(asker);
}

void TrayController::setActivityLine(const QString &line)
{
    if (line != m_activityLine) {
        m_activityLine = line;
        m_tray->setToolTip(line.isEmpty() ? m_state.tooltip() : m_state.tooltip() + QLatin1Char('\n') + line);
    }
}

void TrayController::refresh()
{
    m_state = TrayState::fromStatus(m_worker->isConnected(), m_worker->status(), m_worker->lastError());
    m_menu->setState(m_state, m_worker->status());
    updateIcon();
    m_tray->setToolTip(m_activityLine.isEmpty() ? m_state.tooltip()
                                                : m_state.tooltip() + QLatin1Char('\n') + m_activityLine);
    m_notifier->setStatus(m_worker->isConnected(), m_worker->status(), m_worker->lastError());
    Q_EMIT stateChanged();
}

void TrayController::updateIcon()
{
    const TrayIcons::Style style
        = m_settings->monochromeTrayIcon() ? TrayIcons::Style::Monochrome : TrayIcons::Style::Colour;
    // The monochrome icon shows no count, so a new count alone does not change it.
    const bool runsShown = style == TrayIcons::Style::Colour;
    // Redraw only when the picture changes: some trays flicker on every setIcon().
    if (!m_icon.isNull() && m_iconKind == m_state.kind() && m_iconStyle == style
        && (!runsShown || m_iconRuns == m_state.runCount())) {
        return;
    }
    m_iconKind = m_state.kind();
    m_iconRuns = m_state.runCount();
    m_iconStyle = style;
    m_icon = TrayIcons::icon(m_iconKind, m_iconRuns, m_iconStyle);
    m_tray->setIcon(m_icon);
}

WorkerLink::Callback TrayController::resyncOnFailure()
{
    // The worker refused or is gone: put the ticks back to what it really does (it says why through
    // WorkerLink::commandFailed, which the window shows). The answer may come after the controller is gone
    // (the link outlives it): the guard makes that a no-op.
    return [self = QPointer<TrayController>(this)](bool ok, const QJsonValue &, const QString &) {
        if (self && !ok) {
            self->refresh();
        }
    };
}

void TrayController::onAvailableToggled(bool checked)
{
    const WorkerLink::Callback done = resyncOnFailure();
    if (checked) {
        m_worker->resume(done);
    } else {
        m_worker->pause(done);
    }
}

void TrayController::onStop()
{
    const int runs = m_state.runCount();
    Question q;
    q.objectName = QStringLiteral("stopQuestion");
    q.title = tr("Stop the worker");
    q.text = tr("Stop the worker and give its runs back?");
    q.informativeText = runs == 0
        ? tr("The worker holds no runs. It stops now and takes no more until it is started again.")
        : tr("Its %n run(s) go back to the CodaLab server, which starts them again on a worker (this one, "
             "once it runs again, or another). The worker then stops.",
            nullptr, runs);
    q.buttons = QMessageBox::Yes | QMessageBox::Cancel;
    q.defaultButton = QMessageBox::Cancel;
    q.buttonTexts = { { QMessageBox::Yes, tr("&Stop the worker") } };
    ask(q, [this](QMessageBox::StandardButton answer) {
        if (answer == QMessageBox::Yes) {
            m_worker->stop(true, resyncOnFailure());
        }
    });
}

void TrayController::onQuit()
{
    if (!m_state.canCommand()) {
        Q_EMIT quitRequested(false); // no worker to ask about
        return;
    }
    Question q;
    q.objectName = QStringLiteral("quitQuestion");
    q.title = tr("Quit CodaLab Desktop");
    q.text = tr("Keep the worker running after CodaLab Desktop quits?");
    q.informativeText = tr("Kept running, it goes on taking and running runs in the background, and the "
                           "desktop finds it again when it starts. Stopped, the runs it holds carry on when "
                           "it starts again.");
    q.buttons = QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel;
    q.defaultButton = QMessageBox::Yes;
    q.buttonTexts = { { QMessageBox::Yes, tr("&Keep the worker running") },
        { QMessageBox::No, tr("&Stop the worker") } };
    ask(q, [this](QMessageBox::StandardButton answer) {
        if (answer == QMessageBox::Yes || answer == QMessageBox::No) {
            Q_EMIT quitRequested(answer == QMessageBox::No);
        }
    });
}

void TrayController::ask(const Question &question, std::function<void(QMessageBox::StandardButton)> answer)
{
    if (m_asking) {
        return; // a second click while the first question is open
    }
    m_asking = true;
    QPointer<TrayController> self(this);
    auto answered = std::make_shared<bool>(false);
    auto once = [self, answered, answer = std::move(answer)](QMessageBox::StandardButton button) {
        if (*answered || !self) {
            return;
        }
        *answered = true;
        self->m_asking = false;
        answer(button);
    };
    if (m_asker) {
        m_asker(question, once);
    } else {
        defaultAsk(question, once);
    }
}

void TrayController::defaultAsk(
    const Question &question, std::function<void(QMessageBox::StandardButton)> answer)
{
    auto *box = new QMessageBox(
        QMessageBox::Question, question.title, question.text, question.buttons, m_dialogParent.data());
    box->setObjectName(question.objectName);
    box->setInformativeText(question.informativeText);
    box->setDefaultButton(question.defaultButton);
    for (auto it = question.buttonTexts.cbegin(); it != question.buttonTexts.cend(); ++it) {
        if (QAbstractButton *button = box->button(it.key())) {
            button->setText(it.value());
        }
    }
    box->setAttribute(Qt::WA_DeleteOnClose);
    // open(), not exec(): no nested event loop; the answer comes with finished().
    connect(box, &QMessageBox::finished, box, [box, answer] {
        QAbstractButton *clicked = box->clickedButton();
        answer(clicked ? box->standardButton(clicked) : QMessageBox::Cancel);
    });
    // A box deleted with its parent never finishes: count that as Cancel, or no question could come again.
    connect(box, &QObject::destroyed, this, [answer] { answer(QMessageBox::Cancel); });
    box->open();
}

void TrayController::showNotification(const QString &title, const QString &body)
{
    // In colour whatever the tray's style: a notification is not drawn on the panel.
    m_sender->send(title, body, TrayIcons::icon(m_state.kind(), m_state.runCount()));
}

} // namespace codalab::ui
