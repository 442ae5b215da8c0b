// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace codalab::ui {

/// How long a run bundle took, from the fields the server keeps (codalab-protocol.md §3.3, §5.5), for the
/// My runs list and the run details alike.
///
/// The run time is the wall time from `started` (the worker took the run) to its end, which upstream keeps
/// as the last update of a finished run, or to now while it goes on. It is not metadata `time`: that is
/// the container's own time only, whole seconds cut off by the worker, and reads 0 for a run that was
/// started at 23:55:29 and ended at 23:55:30.
class RunTimes
{
    Q_DECLARE_TR_FUNCTIONS(RunTimes)
public:
    RunTimes() = delete;

    /// Seconds since the epoch when the worker took the run; nullopt before it did (or after a restage).
    static std::optional<qint64> started(const QJsonObject &bundle);
    /// When a finished run ended (its last update); nullopt while it goes on or when unknown.
    static std::optional<qint64> ended(const QJsonObject &bundle);
    /// The run time in seconds at `nowSecs`; nullopt for a run that never started.
    static std::optional<qint64> runSeconds(const QJsonObject &bundle, qint64 nowSecs);
    /// runSeconds() as every page writes durations (Units::duration), empty for a run that never started.
    static QString runText(const QJsonObject &bundle, qint64 nowSecs);
    /// What the run time is made of, as far as the server says: "preparing 0:00:03, running 0:00:01,
    /// container 0:00:01"; empty when it says nothing.
    static QString breakdown(const QJsonObject &bundle);
    /// What the run time depends on besides the clock: equal keys give equal texts at the same time.
    static QString key(const QJsonObject &bundle);
};

} // namespace codalab::ui
