// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/workerlink.h"
#include "tray/trayicons.h"
#include "tray/traystate.h"

#include <QIcon>
#include <QMap>
#include <QMessageBox>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>

class QMenu;
class QSystemTrayIcon;

namespace codalab::ui {

class DesktopSettings;
class NotificationSender;
class NotificationSender;
class Notifier;
class TrayMenu;
class WorkerLink;

/// The tray icon and its menu, over the worker's control socket: the icon and tooltip follow the worker's
/// state (TrayState, TrayIcons; in colour, or monochrome while DesktopSettings::monochromeTrayIcon() is on,
/// switched as soon as the setting changes), the menu's actions send the worker its commands (pause/resume,
/// snooze, drain, stop with the runs given back, one GPU on or off), and the Notifier's merged notifications
/// are shown as tray messages.
///
/// Usage: create one with the window's WorkerLink and DesktopSettings and connect its signals:
/// toggleWindowRequested() (left click on the icon), showWindowRequested() (Open, or a click on a
/// message), submitRequested() (Submit run…), quitRequested(stopWorker) (Quit, after asking "Keep the
/// worker running…?" when a worker is connected; Yes, the default, keeps it), trayUnavailable(reason)
/// (once ever, when the desktop has no tray: the window then stays a normal window and says why), and
/// notificationWithoutTray(title, body) (a notification the window must show itself, as there is no tray).
/// menu() is the same menu for a window's menu bar. Questions are asked without blocking: a window-modal
/// QMessageBox opened over setDialogParent(), or whatever setAsker() installs (tests answer at once).
class TrayController : public QObject
{
    Q_OBJECT
public:
    /// A yes/no question the controller needs answered.
    struct Question
    {
        QString objectName; ///< "quitQuestion", "stopQuestion"
        QString title;
        QString text;
        QString informativeText;
        QMessageBox::StandardButtons buttons;
        QMessageBox::StandardButton defaultButton;
        /// What a button says instead of Yes / No: the choice itself ("Stop the worker").
        QMap<QMessageBox::StandardButton, QString> buttonTexts;
    };
    /// Asks `question` and calls `answer` once with the button chosen (Cancel when dismissed). It may
    /// answer later (after the call returns) but must not block.
    using Asker = std::function<void(
        const Question &question, std::function<void(QMessageBox::StandardButton)> answer)>;

    TrayController(WorkerLink *worker, DesktopSettings *settings, QObject *parent = nullptr);
    ~TrayController() override;

    QMenu *menu() const;
    TrayMenu *trayMenu() const { return m_menu.get(); }
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    Notifier *notifier() const { return m_notifier; }
    /// How notifications reach the user (the notification service, the tray's balloon, the window).
    NotificationSender *notificationSender() const { return m_sender; }
    const TrayState &state() const { return m_state; }
    /// The icon now shown (also when there is no tray to show it in).
    QIcon currentIcon() const { return m_icon; }

    /// Whether the desktop has a system tray; without one the icon is never shown but the menu works.
    bool isTrayAvailable() const;
    /// The text trayUnavailable() carries.
    static QString noTrayReason();

    void setAsker(Asker asker);
    /// What the menu's Quit does: asks whether the worker keeps running, then emits quitRequested() (the
    /// window's File → Quit and its close button without a tray come here too).
    void requestQuit() { onQuit(); }
    /// The window questions are shown over (window-modal); none: application-modal dialogs.
    void setDialogParent(QWidget *parent) { m_dialogParent = parent; }
    /// A line under the worker's state in the tooltip (uploads and saves in progress); empty: none.
    void setActivityLine(const QString &line);

Q_SIGNALS:
    /// "Start the worker" (shown while none answers): start it now, whatever the settings say.
    void startWorkerRequested();
    void toggleWindowRequested();
    void showWindowRequested();
    void submitRequested();
    void quitRequested(bool stopWorker);
    void trayUnavailable(const QString &reason);
    void notificationWithoutTray(const QString &title, const QString &body);
    /// After every status or connection change, once state() is updated.
    void stateChanged();

private:
    void refresh();
    /// Sets the tray's icon for the state and the icon style setting, when either changed.
    void updateIcon();
    void ask(const Question &question, std::function<void(QMessageBox::StandardButton)> answer);
    void defaultAsk(const Question &question, std::function<void(QMessageBox::StandardButton)> answer);
    void onAvailableToggled(bool checked);
    void onStop();
    void onQuit();
    void showNotification(const QString &title, const QString &body);
    /// A command's callback that puts the menu back to the worker's real state when the command fails.
    WorkerLink::Callback resyncOnFailure();

    WorkerLink *m_worker;
    DesktopSettings *m_settings;
    std::unique_ptr<TrayMenu> m_menu; // a QMenu is a widget: it cannot be this QObject's child
    QSystemTrayIcon *m_tray;
    QString m_activityLine;
    Notifier *m_notifier;
    NotificationSender *m_sender;
    TrayState m_state;
    QIcon m_icon;
    TrayState::Kind m_iconKind = TrayState::Kind::Offline;
    int m_iconRuns = -1;
    TrayIcons::Style m_iconStyle = TrayIcons::Style::Colour;
    Asker m_asker;
    QPointer<QWidget> m_dialogParent;
    bool m_asking = false;
};

} // namespace codalab::ui
