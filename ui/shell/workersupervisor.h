// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shell/workerlauncher.h"

#include <QObject>
#include <QTimer>

namespace codalab::ui {

class DesktopSettings;
class WorkerLink;
class WorkerService;

/// Makes sure the desktop's worker runs: when the control socket does not answer within a grace period,
/// it starts codalab-worker (WorkerLauncher) for the current account, unless the user said the desktop
/// should not manage it (a cluster runs it). When the user enabled the worker's systemd user service, it
/// asks systemd to start that one instead (WorkerService). It never starts a second worker while one
/// answers, and it restarts the worker when asked (settings that need new flags, another account).
///
/// Usage: setTarget() with where the worker should work, then ensureRunning(). launched(),
/// serviceStarted() and launchFailed() say what happened; WorkerLink::connectionChanged() then follows
/// the worker.
class WorkerSupervisor : public QObject
{
    Q_OBJECT
public:
    /// `service`: the systemd user service (not owned); null when there is none to ask.
    WorkerSupervisor(WorkerLink *link, DesktopSettings *settings, QString program, QString logPath,
        WorkerService *service, QObject *parent = nullptr);

    void setTarget(const WorkerLauncher::Target &target, const QProcessEnvironment &environment);
    const WorkerLauncher::Target &target() const { return m_target; }
    QString logPath() const { return m_logPath; }

    /// How long the socket may stay silent before a worker is started.
    void setGraceMs(int ms) { m_grace.setInterval(ms); }
    void ensureRunning();
    /// Starts the worker now when none answers, whether or not the settings let the desktop manage it:
    /// the user asked (Start the worker).
    void startNow();
    /// Stops the worker (its runs keep going in their containers; it reattaches) and starts it again.
    void restart();

Q_SIGNALS:
    void launched(qint64 pid);
    /// systemd started (or restarted) codalab-worker.service for us.
    void serviceStarted();
    void launchFailed(const QString &message);

private:
    void launchIfSilent();
    void launch();
    bool serviceEnabled() const;

    WorkerLink *m_link;
    WorkerService *m_service;
    DesktopSettings *m_settings;
    QString m_program;
    QString m_logPath;
    WorkerLauncher::Target m_target;
    QProcessEnvironment m_environment;
    QTimer m_grace;
    bool m_restarting = false;
};

} // namespace codalab::ui
