// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/desktopsettings.h"
#include "tray/notificationburst.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace codalab::ui {

/// Turns the worker's successive statuses into the desktop notifications a user wants: a run finished, a
/// run failed, the worker went offline or came back, the work dir's disk is nearly full. Each kind can be
/// switched off in DesktopSettings (WorkerOffline covers "back" too). Events that come within
/// burstWindowMs() of the first one are merged into one notify() ("2 runs finished, 1 failed").
///
/// Usage: feed it every status, `connect(link, &WorkerLink::statusChanged, …, [=] {
/// notifier->setStatus(link->isConnected(), link->status(), link->lastError()); })` and the same on
/// connectionChanged; show notify()'s title and body (TrayController does both).
///
/// Rules, from the status JSON (WorkerStatus):
/// - run finished: its stage reaches RUN_STAGE.FINALIZING or RUN_STAGE.FINISHED, or it leaves the list
///   after CLEANING_UP / UPLOADING_RESULTS / FINALIZING, with no failure;
/// - run failed: the same moments with a failure_message, `killed`, or an exit code other than 0 (a run
///   with a failure that leaves the list from any stage but RESTAGED counts too);
/// - worker offline / back: the control socket drops or server.connected flips, but never for the state
///   found at start, and "back" only after an "offline";
/// - disk low: machine.disk_free_bytes under 2 GiB or under 5% of disk_total_bytes, once until it
///   recovers.
/// Runs that were already done in the first status seen are not announced. A link that is up but has no
/// status yet changes nothing.
class Notifier : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 DiskLowBytes = 2LL * 1024 * 1024 * 1024;
    static constexpr double DiskLowFraction = 0.05;

    explicit Notifier(DesktopSettings *settings, QObject *parent = nullptr);

    void setStatus(bool connected, const QJsonObject &status, const QString &offlineReason = {});
    /// The worker's `runEnded` event: the run was finalized and left the worker. Announced from here,
    /// since its last stages can pass between two statuses (a run seen RUNNING, then gone).
    void runEnded(const QJsonObject &run);

    /// 3000 ms by default.
    int burstWindowMs() const { return m_timer.interval(); }
    void setBurstWindowMs(int ms) { m_timer.setInterval(ms); }
    /// Emits what the current burst holds now (nothing when it is empty).
    void flush();

Q_SIGNALS:
    void notify(const QString &title, const QString &body);

private:
    struct RunSeen
    {
        QString stage;
        QString label;
        QString failure; ///< empty: no failure (yet)
    };

    void updateLink(bool online, const QString &reason);
    void updateRuns(const QJsonObject &status, bool baseline);
    void updateDisk(const QJsonObject &status);
    void post(DesktopSettings::Notification setting, const NotificationBurst::Event &event);
    static RunSeen readRun(const QJsonObject &run);
    /// "Run finished", or "Run failed" with its reason.
    void announceEnd(const RunSeen &seen);

    DesktopSettings *m_settings;
    QTimer m_timer;
    NotificationBurst m_burst;
    QHash<QString, RunSeen> m_runs;
    QSet<QString> m_announced;
    bool m_started = false;
    bool m_online = false;
    bool m_wentOffline = false;
    bool m_diskLow = false;
};

} // namespace codalab::ui
