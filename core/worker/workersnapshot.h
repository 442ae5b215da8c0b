// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/runrecord.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace codalab::worker {

/// What the worker's state file holds: its runs and the choices a restart must keep (availability, snooze,
/// slots, GPUs switched off, runs started). Converted to and from the file's JSON here; StateFile makes the
/// write atomic.
struct WorkerSnapshot
{
    QString workerId;
    QList<RunRecord> runs;
    int runsStarted = 0;
    QString availability; ///< Worker::availabilityName()
    QDateTime snoozeUntil;
    std::optional<int> slotCount;
    QStringList disabledGpus;

    QJsonObject toJson() const;
    /// Runs that do not parse are dropped, each named in *dropped; the rest loads.
    static WorkerSnapshot fromJson(const QJsonObject &json, QStringList *dropped);
};

} // namespace codalab::worker
