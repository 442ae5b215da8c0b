// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace codalab::ui {

/// What the tray says about the worker, read from the worker's status JSON (WorkerStatus) and whether the
/// control socket is up: one of seven states, the counts behind it, and the words for the tooltip and the
/// menu's first line. Plain data, no widgets, so every rule here is tested on JSON alone.
///
/// Usage: `TrayState s = TrayState::fromStatus(link->isConnected(), link->status(), link->lastError());`
/// then `TrayIcons::icon(s.kind(), s.runCount())`, `s.tooltip()`, `s.summary()`.
///
/// The order of the rules matters: no worker (or no status yet) is Offline; a worker whose last check-in
/// failed is Error (it says why); one that never reached its server yet is Offline; then the availability
/// the user chose (paused, snoozed, draining/drained/stopping) wins over Running, because it is what the
/// user needs to undo; only an available worker is Running (N runs) or Idle.
class TrayState
{
    Q_DECLARE_TR_FUNCTIONS(TrayState)
public:
    enum class Kind { Idle, Running, Paused, Snoozed, Draining, Offline, Error };
    static constexpr int KindCount = 7;

    /// `offlineReason` is why the control socket is down (WorkerLink::lastError()); `now` decides whether a
    /// snooze end is shown as a time of day or with its date.
    static TrayState fromStatus(bool connected, const QJsonObject &status, const QString &offlineReason = {},
        const QDateTime &now = QDateTime::currentDateTime());

    Kind kind() const { return m_kind; }
    /// Runs the worker holds that are not finished.
    int runCount() const { return m_runs; }
    int slotCount() const { return m_slotCount; }
    int freeSlots() const { return m_freeSlots; }
    /// The worker's availability word ("available", "paused", …); empty while offline.
    QString availability() const { return m_availability; }
    /// Local time; invalid unless snoozed.
    QDateTime snoozeUntil() const { return m_snoozeUntil; }
    /// Why the state is Offline or Error; empty otherwise.
    QString reason() const { return m_reason; }
    /// Whether commands can reach the worker (a status is there).
    bool canCommand() const { return m_canCommand; }

    /// One line for the menu's first (disabled) entry: "Running 2 runs, 1 slot free", "Snoozed until
    /// 17:30", "Offline: <reason>".
    QString summary() const;
    /// The tray icon's tooltip: "CodaLab worker — " + summary().
    QString tooltip() const;
    /// "17:30", or with the date when the snooze ends on another day.
    QString snoozeEndText() const;
    /// A short name for the state ("Running", "Snoozed"), for legends.
    static QString kindName(Kind kind);

private:
    QString runsText() const;
    QString slotsText() const;

    Kind m_kind = Kind::Offline;
    int m_runs = 0;
    int m_slotCount = 0;
    int m_freeSlots = 0;
    QString m_availability;
    QDateTime m_snoozeUntil;
    QDateTime m_now;
    QString m_reason;
    bool m_canCommand = false;
};

} // namespace codalab::ui
