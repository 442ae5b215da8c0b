// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

namespace codalab::ui {

/// The runs in a status of this computer's worker (WorkerLink::status(): a `runs` array of objects with
/// `uuid`, `bundle_start_time`, `run_dir`, `stage`, `state`, `failure_message`...), as the Logs page
/// reads them.
class WorkerRuns
{
public:
    WorkerRuns() = delete;

    /// The run started last that has a directory to read (the latest `bundle_start_time`; of equal ones the
    /// first listed), {} when there is none.
    static QJsonObject newest(const QJsonObject &status);
    /// The run with this uuid, {} when the worker does not have it (any more).
    static QJsonObject find(const QJsonObject &status, const QString &uuid);
    /// Whether the status lists runs at all: {} (no worker, or the link is down) says nothing about them.
    static bool knowsRuns(const QJsonObject &status);
    static double startTime(const QJsonObject &run);
    static QString runDir(const QJsonObject &run);
};

} // namespace codalab::ui
