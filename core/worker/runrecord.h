// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/resourceallocator.h"
#include "worker/resourcehistory.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace codalab::worker {

/// The stages of a run inside the worker (codalab-protocol.md §4.1).
enum class RunStage { Preparing, Running, CleaningUp, UploadingResults, Finalizing, Finished, Restaged };

/// "RUN_STAGE.PREPARING" etc., as upstream names them in bundle_profile_stats.
QString runStageName(RunStage stage);
std::optional<RunStage> runStageFromName(const QString &name);
/// "preparing", "cleaning up" ...: what a user reads (server::RunStageWords of runStageName()).
QString runStageWords(RunStage stage);
/// "0x1234abcd: preparing → running", the worker log's line for a stage change.
QString runStageChange(const QString &uuid, RunStage from, RunStage to);

/// What the `resources` of a run message ask for; the values the worker enforces.
struct RunResources
{
    int cpus = 1;
    int gpus = 0;
    QString dockerImage;
    qint64 timeSec = 0; ///< 0: no limit
    qint64 memoryBytes = 0;
    qint64 diskBytes = 0; ///< 0: no limit
    bool network = false;

    static RunResources fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
};

struct RunDependency
{
    QString childPath;
    QString parentUuid;
    QString parentPath;
    QString location; ///< shared file system: where the parent bundle lives

    static RunDependency fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
};

/// Everything the worker knows about one run, persisted in the state file after every change so that a
/// restarted worker carries on where it stopped (§8 "State file"). Plain data; Run acts on it.
struct RunRecord
{
    QString uuid;
    QString command;
    QString ownerId;
    RunResources resources;
    QList<RunDependency> dependencies;
    QStringList excludePatterns;
    QString store;
    QString location; ///< shared file system: the bundle directory the server made

    RunStage stage = RunStage::Preparing;
    QString runStatus;
    QString containerId;
    QString dockerImageDigest;
    std::optional<Allocation> allocation;
    QStringList dependencyLinks; ///< paths in the run dir made for dependencies, removed at clean-up

    qint64 bundleStartTime = 0; ///< epoch seconds the worker accepted the run
    qint64 containerStartMs = 0; ///< epoch ms; 0 before the container started
    qint64 containerEndMs = 0; ///< epoch ms; 0 while running
    double timeUserSec = 0;
    double timeSystemSec = 0;
    double cpuUsage = 0;
    double memoryUsage = 0;
    qint64 memoryUsedBytes = 0;
    qint64 maxMemoryBytes = 0;
    qint64 diskUtilization = 0;
    qint64 gpuMemoryBytes = -1; ///< GPU memory of the container's processes; -1 unknown (no nvidia-smi)
    int gpuUtilization = -1; ///< SM percent summed over its GPUs; -1 unknown
    qint64 gpuMemoryTotalBytes = 0; ///< of the GPUs it was given or used; 0: none
    ResourceHistory history;

    std::optional<int> exitCode;
    QString failureMessage;
    bool killed = false;
    QString killMessage;
    bool restage = false; ///< give the run back to the server (stop with give-back)
    bool hasContents = false; ///< the container was started, so there are results to upload
    bool finalized = false; ///< mark_finalized received
    qint64 uploadedBytes = 0;

    struct StageTimes
    {
        double start = 0;
        double end = 0;
    };
    QMap<RunStage, StageTimes> stageTimes;

    QJsonObject toJson() const;
    static std::optional<RunRecord> fromJson(const QJsonObject &json, QString *error);
    /// Builds a record from a `run` message (§3.4); nullopt and *error when it lacks what a run needs.
    static std::optional<RunRecord> fromRunMessage(const QJsonObject &message, QString *error);

    /// The state the server sees (§4.1); empty for FINISHED, which is never reported.
    QString serverState() const;
    /// The run report of a check-in (§3.3), every required key present and integers where the server
    /// compares numbers.
    QJsonObject report(const QString &workerId, double nowSec) const;
    double containerTimeTotalSec(qint64 nowMs) const;
    /// Records the move to `next` in stageTimes and sets stage.
    void enterStage(RunStage next, double nowSec);
    /// Adds a failure message as upstream joins them.
    void addFailure(const QString &message);
    /// The latest GPU figures (see the members); false when nothing changed.
    bool setGpuUse(qint64 memoryBytes, int utilization, qint64 memoryTotalBytes);
};

} // namespace codalab::worker
