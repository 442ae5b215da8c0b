// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace codalab::worker {

/// What a worker is told on its command line (codalab-protocol.md §1, architecture.md), already parsed and
/// checked. Defaults are upstream's, except where §8 goes past it (slots, pids limit).
struct WorkerConfig
{
    QString id; ///< stable across restarts, so runs are resumed
    QString workDir;
    QString tag; ///< empty: none
    bool tagExclusive = false;
    QString groupName;
    QList<int> cpuset; ///< the CPUs runs may use
    QStringList gpuUuids; ///< the GPUs runs may use
    int slotCount = 1; ///< concurrent runs (--slots)
    qint64 maxWorkDirSizeBytes = qint64(10) * 1024 * 1024 * 1024;
    std::optional<qint64> maxImageCacheSizeBytes;
    qint64 memoryBytes = 0; ///< advertised: min(--max-memory, physical)
    int checkinFrequencySec = 5;
    bool exitWhenIdle = false;
    int idleSeconds = 0;
    int exitAfterNumRuns = 999999999;
    QString networkPrefix = QStringLiteral("codalab_worker_network");
    bool passDownTermination = false;
    int sharedMemorySizeGb = 1;
    bool sharedFileSystem = false; ///< local mode: run in the server's bundle directories, no transfers
    bool preemptible = false;
    int downloadMaxRetries = 3;
    qint64 pidsLimit = 4096; ///< §8: every container gets a pids limit
    int imageRefreshSec = 600; ///< a tag is pulled again at most this often (0: every run, as upstream)
    int statsIntervalMs = 2000;
    bool runsWithoutNetwork = false; ///< every run gets NetworkMode none, whatever it asks (--no-network)
    int runAsUid = 65534; ///< a worker running as root runs containers as this user, never as root
    int runAsGid = 65534;
    QString hostname;

    QString runsDir() const { return workDir + QStringLiteral("/runs"); }
    QString stateFile() const
    {
        return workDir + QStringLiteral("/worker-state-") + fileSafeId() + QStringLiteral(".json");
    }
    QString fileSafeId() const;
    QString extNetwork() const { return networkPrefix + QStringLiteral("_ext"); }
    QString generalNetwork() const { return networkPrefix + QStringLiteral("_general"); }
};

} // namespace codalab::worker
