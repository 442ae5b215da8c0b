// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/runrequest.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QStringList>

namespace codalab::ui {

/// Whether a run would fit the desktop's own worker, as sentences for the user ("Asks for 2 GPUs; your
/// worker has 1."). Advice only: the run may well go to another worker of the same server, so nothing here
/// stops a submission.
///
/// Usage: FitCheck::check(request, workerLink->status()) on every edit and on every new worker status; an
/// empty list means it fits. An empty status means the worker is not running.
class FitCheck
{
    Q_DECLARE_TR_FUNCTIONS(FitCheck)

public:
    FitCheck() = delete;

    /// Availability first (paused, offline...), then the queue tag, then CPUs, GPUs, memory and disk.
    static QStringList check(const server::RunRequest &request, const QJsonObject &workerStatus);
};

} // namespace codalab::ui
