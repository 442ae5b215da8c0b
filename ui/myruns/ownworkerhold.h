// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace codalab::ui {

/// Whether a staged run waits because this computer's own worker takes no runs just now (paused, snoozed,
/// draining), and the words for it. The server cannot tell: its staged_status only says that no worker can
/// meet the run's requirements, which sends the user looking at the run instead of at their worker.
///
/// Usage: reason(workerStatus, bundle) with the worker's last status (WorkerLink::status()) and the run
/// bundle as the REST API returns it; empty when the worker is not the reason. The words are those of the
/// submission dialog's fit check (ui/submit/fitcheck.cpp), so both pages say the same thing.
class OwnWorkerHold
{
    Q_DECLARE_TR_FUNCTIONS(OwnWorkerHold)
public:
    OwnWorkerHold() = delete;

    /// "Your worker is snoozed until 14:05: the run will wait." (the locale's short time), "... is paused:
    /// ...", "... takes no new runs (draining): ..."; empty when the run is not staged, the worker is
    /// available (or not known), or it would not take the run anyway (another queue tag, a tag-exclusive
    /// worker for an untagged run, more CPUs or GPUs than it has).
    static QString reason(const QJsonObject &workerStatus, const QJsonObject &bundle);
    /// The worker could take the run, by the scheduler's tag rules and its CPU and GPU counts.
    static bool couldTake(const QJsonObject &workerStatus, const QJsonObject &bundle);
};

} // namespace codalab::ui
