// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/workerstatus.h"

#include "worker/dependencycache.h"
#include "worker/dockerhealth.h"
#include "worker/imagecache.h"
#include "worker/run.h"
#include "worker/worker.h"

#include <QJsonArray>

#include <algorithm>

namespace codalab::worker {

namespace {

QJsonValue epochOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(double(t.toSecsSinceEpoch())) : QJsonValue();
}

QJsonArray cpuArray(const QList<int> &cpus)
{
    QJsonArray a;
    for (int c : cpus) {
        a.append(c);
    }
    return a;
}

QJsonObject runJson(const Run &run, qint64 nowMs)
{
    const RunRecord &r = run.record();
    return { { QStringLiteral("uuid"), r.uuid }, { QStringLiteral("stage"), runStageName(r.stage) },
        { QStringLiteral("state"), r.serverState() }, { QStringLiteral("run_status"), r.runStatus },
        { QStringLiteral("command"), r.command }, { QStringLiteral("owner_id"), r.ownerId },
        { QStringLiteral("container_id"), r.containerId },
        { QStringLiteral("image"), r.resources.dockerImage },
        { QStringLiteral("image_digest"), r.dockerImageDigest },
        { QStringLiteral("cpuset"), cpuArray(r.allocation ? r.allocation->cpus : QList<int>()) },
        { QStringLiteral("gpuset"),
            QJsonArray::fromStringList(r.allocation ? r.allocation->gpuUuids : QStringList()) },
        { QStringLiteral("bundle_start_time"), double(r.bundleStartTime) },
        { QStringLiteral("container_start_time"),
            r.containerStartMs > 0 ? QJsonValue(r.containerStartMs / 1000.0) : QJsonValue() },
        { QStringLiteral("container_time_total"), r.containerTimeTotalSec(nowMs) },
        { QStringLiteral("time_user"), r.timeUserSec }, { QStringLiteral("time_system"), r.timeSystemSec },
        { QStringLiteral("time_limit"), double(r.resources.timeSec) },
        { QStringLiteral("cpu_usage"), r.cpuUsage }, { QStringLiteral("memory_usage"), r.memoryUsage },
        { QStringLiteral("memory_bytes"), double(r.memoryUsedBytes) },
        { QStringLiteral("max_memory_bytes"), double(r.maxMemoryBytes) },
        { QStringLiteral("memory_limit"), double(r.resources.memoryBytes) },
        { QStringLiteral("disk_utilization"), double(r.diskUtilization) },
        { QStringLiteral("disk_limit"), double(r.resources.diskBytes) },
        { QStringLiteral("gpu_memory_bytes"), double(r.gpuMemoryBytes) },
        { QStringLiteral("gpu_utilization"), r.gpuUtilization },
        { QStringLiteral("requested_cpus"), r.resources.cpus },
        { QStringLiteral("requested_gpus"), r.resources.gpus },
        { QStringLiteral("network"), r.resources.network },
        { QStringLiteral("exitcode"), r.exitCode ? QJsonValue(*r.exitCode) : QJsonValue() },
        { QStringLiteral("failure_message"), r.failureMessage }, { QStringLiteral("killed"), r.killed },
        { QStringLiteral("run_dir"), run.runDir() } };
}

} // namespace

QJsonObject WorkerStatus::run(const Run &run)
{
    return runJson(run, QDateTime::currentMSecsSinceEpoch());
}

QJsonObject WorkerStatus::build(const Worker &worker)
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const WorkerConfig &config = worker.config();
    QList<Run *> runs = worker.runs();
    std::sort(runs.begin(), runs.end(), [](Run *a, Run *b) {
        return a->record().bundleStartTime != b->record().bundleStartTime
            ? a->record().bundleStartTime < b->record().bundleStartTime
            : a->uuid() < b->uuid();
    });
    QJsonArray runArray;
    QJsonArray slotArray;
    for (Run *r : std::as_const(runs)) {
        runArray.append(runJson(*r, nowMs));
        if (const auto a = worker.allocator().allocationOf(r->uuid())) {
            slotArray.append(QJsonObject { { QStringLiteral("index"), int(slotArray.size()) },
                { QStringLiteral("cpuset"), cpuArray(a->cpus) },
                { QStringLiteral("gpuset"), QJsonArray::fromStringList(a->gpuUuids) },
                { QStringLiteral("run"), r->uuid() } });
        }
    }
    while (slotArray.size() < worker.allocator().slotCount()) {
        slotArray.append(QJsonObject { { QStringLiteral("index"), int(slotArray.size()) },
            { QStringLiteral("cpuset"), QJsonArray() }, { QStringLiteral("gpuset"), QJsonArray() },
            { QStringLiteral("run"), QJsonValue() } });
    }
    QJsonArray gpus;
    for (const QString &uuid : config.gpuUuids) {
        QJsonObject g { { QStringLiteral("uuid"), uuid },
            { QStringLiteral("enabled"), worker.allocator().isGpuEnabled(uuid) } };
        for (const system::GpuInfo &info : worker.machine().gpus) {
            if (info.uuid == uuid) {
                g = info.toJson();
                g.insert(QStringLiteral("enabled"), worker.allocator().isGpuEnabled(uuid));
            }
        }
        gpus.append(g);
    }
    const auto *deps = worker.dependencyCache();
    const auto *images = worker.imageCache();
    return { { QStringLiteral("worker_id"), config.id },
        { QStringLiteral("version"), QStringLiteral(CODALAB_VERSION) },
        { QStringLiteral("availability"), Worker::availabilityName(worker.availability()) },
        { QStringLiteral("snooze_until"),
            worker.availability() == Worker::Availability::Snoozed ? epochOrNull(worker.snoozeUntil())
                                                                   : QJsonValue() },
        { QStringLiteral("server"),
            QJsonObject { { QStringLiteral("connected"), worker.isConnected() },
                { QStringLiteral("last_checkin"), epochOrNull(worker.lastCheckin()) },
                { QStringLiteral("last_error"), worker.lastServerError() } } },
        { QStringLiteral("docker"),
            QJsonObject { { QStringLiteral("endpoint"), worker.dockerEndpoint() },
                { QStringLiteral("ok"), worker.dockerHealth().isOk() },
                { QStringLiteral("error"), worker.dockerHealth().error() } } },
        { QStringLiteral("tag"), config.tag }, { QStringLiteral("tag_exclusive"), config.tagExclusive },
        { QStringLiteral("work_dir"), config.workDir },
        { QStringLiteral("shared_file_system"), config.sharedFileSystem },
        { QStringLiteral("slot_count"), worker.allocator().slotCount() },
        { QStringLiteral("slots"), slotArray }, { QStringLiteral("cpuset"), cpuArray(config.cpuset) },
        { QStringLiteral("gpus"), gpus }, { QStringLiteral("runs"), runArray },
        { QStringLiteral("runs_started"), worker.runsStarted() },
        { QStringLiteral("runs_offered"), worker.runsToOffer() },
        { QStringLiteral("machine"), worker.machine().toJson() },
        { QStringLiteral("caches"),
            QJsonObject { { QStringLiteral("dependencies_bytes"), double(deps->totalBytes()) },
                { QStringLiteral("dependencies_max_bytes"), double(config.maxWorkDirSizeBytes) },
                { QStringLiteral("dependencies_count"), int(deps->entries().size()) },
                { QStringLiteral("images_bytes"), double(images->totalBytes()) },
                { QStringLiteral("images_max_bytes"),
                    config.maxImageCacheSizeBytes ? QJsonValue(double(*config.maxImageCacheSizeBytes))
                                                  : QJsonValue() },
                { QStringLiteral("images_count"), int(images->entries().size()) } } } };
}

} // namespace codalab::worker
