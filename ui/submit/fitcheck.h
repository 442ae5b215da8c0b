// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/runrequest.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace codalab::ui {

/// Whether a run would fit the desktop's own worker, as sentences for the user ("Asks for 2 GPUs; your
/// worker has 1."). Advice only: the run may well go to another worker of the same server, so nothing here
/// stops a submission.
///
/// Usage: FitCheck::check(request, workerLink->status(), serverWorkers) on every edit and on every new worker
/// status; an empty list means it fits. An empty status means the worker is not running. `serverWorkers`
/// is the `data` of the server's /rest/workers/info (the workers the user owns, ours among them) when the
/// server told: a run that a live worker of the server can take is not said to wait, whatever this
/// computer's worker does. Without it only what is known is said.
class FitCheck
{
    Q_DECLARE_TR_FUNCTIONS(FitCheck)

public:
    FitCheck() = delete;

    /// Availability first (paused, offline...), then the queue tag, then CPUs, GPUs, memory and disk.
    static QStringList check(const server::RunRequest &request, const QJsonObject &workerStatus,
        const std::optional<QJsonArray> &serverWorkers = std::nullopt, qint64 nowSec = 0);
    /// Whether a worker of /rest/workers/info, checked in within the last minutes, takes `request` by the
    /// scheduler's tag rules and has the CPUs, GPUs and memory it asks for.
    static bool serves(const QJsonObject &serverWorker, const server::RunRequest &request, qint64 nowSec);
};

} // namespace codalab::ui
