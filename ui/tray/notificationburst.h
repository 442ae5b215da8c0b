// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace codalab::ui {

/// The events of one burst of notifications, merged into one title and body: a single event keeps its own
/// words ("Run failed", "run 0x1a2b3c4d (python train.py) failed: exit code 2"); several read as one line
/// ("2 runs finished, 1 failed") with one line each in the body. A worker that goes offline and comes back
/// within the same burst cancels out: nothing is said about it.
///
/// Usage: `burst.add({NotificationBurst::Kind::RunFinished, label, {}});` … `emit notify(burst.title(),
/// burst.body()); burst.clear();` (Notifier does this when its burst window closes).
class NotificationBurst
{
    Q_DECLARE_TR_FUNCTIONS(NotificationBurst)
public:
    enum class Kind { RunFinished, RunFailed, WorkerOffline, WorkerBack, DiskLow };
    struct Event
    {
        Kind kind;
        QString subject; ///< a run's label ("run 0x1a2b3c4d (python train.py)"); unused otherwise
        QString detail; ///< why a run failed, why the worker is offline, how much disk is left
    };
    /// Lines in body() before "…and N more".
    static constexpr int MaxBodyLines = 5;

    void add(const Event &event);
    bool isEmpty() const { return m_events.isEmpty(); }
    const QList<Event> &events() const { return m_events; }
    void clear() { m_events.clear(); }

    QString title() const;
    QString body() const;

private:
    static QString singleTitle(Kind kind);
    static QString line(const Event &event);
    int count(Kind kind) const;

    QList<Event> m_events;
};

} // namespace codalab::ui
