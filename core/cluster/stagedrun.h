// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace codalab::cluster {

/// A staged run as the worker manager sees it in a search of the server: what a Slurm job for it must ask
/// for.
struct StagedRun
{
    QString uuid;
    QString name;
    int cpus = 1;
    int gpus = 0;
    qint64 memoryBytes = 0; ///< 0: not requested (the server's default applies)
    qint64 timeSeconds = 0; ///< 0: no limit requested
    QString queue; ///< request_queue, as given ("tag=x" or "x")

    /// From one item of a JSON:API search answer (`data[i]`); nullopt when it is not a bundle with a uuid.
    static std::optional<StagedRun> fromResource(const QJsonObject &resource);
};

} // namespace codalab::cluster
