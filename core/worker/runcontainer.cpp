// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/runcontainer.h"

#include "util/bytesize.h"
#include "util/duration.h"

#include <QDateTime>

namespace codalab::worker {

QString RunContainer::wrapCommand(const QString &command)
{
    QString body = command;
    if (!body.trimmed().endsWith(QLatin1Char(';'))) {
        body += QLatin1Char(';');
    }
    return QStringLiteral("( ") + body + QStringLiteral(" ) >stdout 2>stderr");
}

docker::ContainerSpec RunContainer::spec(
    const RunRecord &run, const WorkerConfig &config, const Inputs &inputs)
{
    docker::ContainerSpec spec;
    spec.name = containerName(run.uuid);
    spec.image = run.resources.dockerImage;
    spec.cmd = { QStringLiteral("/bin/bash"), QStringLiteral("-c"), wrapCommand(run.command) };
    spec.entrypoint = QStringList(); // the image's entrypoint would wrap the user's command
    spec.workingDir = QLatin1Char('/') + run.uuid;
    spec.env = { QStringLiteral("HOME=/") + run.uuid, QStringLiteral("CODALAB=true") };
    spec.user = inputs.user;
    spec.mounts.append({ inputs.runDir, QLatin1Char('/') + run.uuid, false });
    for (const DependencyMount &m : inputs.mounts) {
        spec.mounts.append({ m.hostPath, dependencyMountPoint(run.uuid, m.name), true });
    }
    // A run without request_network gets no network at all rather than upstream's internal bridge: that one
    // still reaches the host and the other runs (and with dockerd's --iptables=false has a default route).
    spec.networkMode
        = config.runsWithoutNetwork || !run.resources.network ? QStringLiteral("none") : config.extNetwork();
    spec.memoryBytes = run.resources.memoryBytes;
    if (spec.memoryBytes > 0) {
        spec.memorySwapBytes = spec.memoryBytes; // §8: no swap past the limit
    }
    if (run.allocation) {
        QStringList cpus;
        for (int c : run.allocation->cpus) {
            cpus << QString::number(c);
        }
        spec.cpusetCpus = cpus.join(QLatin1Char(','));
        spec.gpuUuids = run.allocation->gpuUuids;
    }
    spec.shmSizeBytes = qint64(config.sharedMemorySizeGb) * 1024 * 1024 * 1024;
    spec.pidsLimit = config.pidsLimit;
    spec.securityOpt = { QStringLiteral("no-new-privileges") };
    spec.labels = { { QStringLiteral("org.codalab.worker"), config.id },
        { QStringLiteral("org.codalab.bundle"), run.uuid } };
    return spec;
}

QString RunContainer::memoryLimitMessage(qint64 bytes)
{
    // Upstream's worker writes size_str() here with no "b" (unlike the disk message).
    return QStringLiteral("Memory limit %1 exceeded.").arg(util::ByteSize::format(bytes));
}

QString RunContainer::limitExceeded(const RunRecord &run, qint64 nowMs)
{
    QStringList messages;
    const double uptime = run.containerTimeTotalSec(nowMs);
    if (run.resources.timeSec > 0 && uptime > double(run.resources.timeSec)) {
        messages << QStringLiteral("Time limit exceeded. (Container uptime %1 > time limit %2)")
                        .arg(util::Duration::formatFractional(uptime),
                            util::Duration::format(run.resources.timeSec));
    }
    if (run.resources.memoryBytes > 0 && run.maxMemoryBytes > run.resources.memoryBytes) {
        messages << memoryLimitMessage(run.resources.memoryBytes);
    }
    if (run.resources.diskBytes > 0 && run.diskUtilization > run.resources.diskBytes) {
        messages << QStringLiteral("Disk limit %1b exceeded.")
                        .arg(util::ByteSize::format(run.resources.diskBytes));
    }
    return messages.join(QLatin1Char(' '));
}

ResourceHistory::Sample RunContainer::recordStats(
    RunRecord &run, const docker::ContainerStats &stats, qint64 nowMs)
{
    const int cpus = run.allocation ? qMax(1, int(run.allocation->cpus.size())) : 1;
    run.cpuUsage = stats.cpuFraction / cpus;
    run.memoryUsage = stats.memoryFraction();
    run.memoryUsedBytes = stats.memoryUsageBytes;
    run.maxMemoryBytes = qMax(run.maxMemoryBytes, stats.memoryUsageBytes);
    run.timeUserSec = stats.cpuUserNs / 1e9;
    run.timeSystemSec = stats.cpuSystemNs / 1e9;
    const ResourceHistory::Sample sample { nowMs, stats.cpuFraction * 100.0, stats.memoryUsageBytes,
        double(run.gpuUtilization), run.gpuMemoryBytes };
    run.history.add(sample);
    return sample;
}

void RunContainer::recordEnd(RunRecord &run, const docker::ContainerInfo &info,
    const QString &stoppedByDocker, const QString &containerStderr)
{
    run.exitCode = info.exitCode;
    run.containerEndMs = info.finishedAt.isValid() ? info.finishedAt.toMSecsSinceEpoch()
                                                   : QDateTime::currentMSecsSinceEpoch();
    if (!stoppedByDocker.isEmpty()) {
        run.addFailure(stoppedByDocker);
    } else if ((info.oomKilled || info.exitCode == 137) && !run.killed) {
        run.killed = true;
        run.killMessage = memoryLimitMessage(run.resources.memoryBytes);
    }
    if (!containerStderr.isEmpty()) {
        run.addFailure(containerStderr);
    }
}

} // namespace codalab::worker
