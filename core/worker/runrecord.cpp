// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/runrecord.h"

#include "server/runstagewords.h"
#include "util/bundleuuid.h"
#include "util/jsonnumber.h"

#include <QJsonArray>

namespace codalab::worker {

namespace {

constexpr std::pair<RunStage, const char *> StageNames[] = {
    { RunStage::Preparing, "RUN_STAGE.PREPARING" },
    { RunStage::Running, "RUN_STAGE.RUNNING" },
    { RunStage::CleaningUp, "RUN_STAGE.CLEANING_UP" },
    { RunStage::UploadingResults, "RUN_STAGE.UPLOADING_RESULTS" },
    { RunStage::Finalizing, "RUN_STAGE.FINALIZING" },
    { RunStage::Finished, "RUN_STAGE.FINISHED" },
    { RunStage::Restaged, "RUN_STAGE.RESTAGED" },
};

QJsonValue orNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &v : value.toArray()) {
        list << v.toString();
    }
    return list;
}

} // namespace

QString runStageName(RunStage stage)
{
    for (const auto &[s, name] : StageNames) {
        if (s == stage) {
            return QLatin1String(name);
        }
    }
    return {};
}

std::optional<RunStage> runStageFromName(const QString &name)
{
    for (const auto &[s, n] : StageNames) {
        if (name == QLatin1String(n)) {
            return s;
        }
    }
    return std::nullopt;
}

QString runStageWords(RunStage stage)
{
    return server::RunStageWords::of(runStageName(stage));
}

QString runStageChange(const QString &uuid, RunStage from, RunStage to)
{
    return QStringLiteral("%1: %2 \u2192 %3")
        .arg(util::BundleUuid::shortForm(uuid), runStageWords(from), runStageWords(to));
}

RunResources RunResources::fromJson(const QJsonObject &json)
{
    RunResources r;
    r.cpus = json.value(QLatin1String("cpus")).toInt(1);
    r.gpus = json.value(QLatin1String("gpus")).toInt(0);
    r.dockerImage = json.value(QLatin1String("docker_image")).toString();
    r.timeSec = util::jsonInt64(json.value(QLatin1String("time")));
    r.memoryBytes = util::jsonInt64(json.value(QLatin1String("memory")));
    r.diskBytes = util::jsonInt64(json.value(QLatin1String("disk")));
    r.network = json.value(QLatin1String("network")).toBool(false);
    return r;
}

QJsonObject RunResources::toJson() const
{
    return { { QStringLiteral("cpus"), cpus }, { QStringLiteral("gpus"), gpus },
        { QStringLiteral("docker_image"), dockerImage }, { QStringLiteral("time"), double(timeSec) },
        { QStringLiteral("memory"), double(memoryBytes) }, { QStringLiteral("disk"), double(diskBytes) },
        { QStringLiteral("network"), network } };
}

RunDependency RunDependency::fromJson(const QJsonObject &json)
{
    return { json.value(QLatin1String("child_path")).toString(),
        json.value(QLatin1String("parent_uuid")).toString(),
        json.value(QLatin1String("parent_path")).toString(),
        json.value(QLatin1String("location")).toString() };
}

QJsonObject RunDependency::toJson() const
{
    QJsonObject json { { QStringLiteral("child_path"), childPath },
        { QStringLiteral("parent_uuid"), parentUuid }, { QStringLiteral("parent_path"), parentPath } };
    if (!location.isEmpty()) {
        json.insert(QStringLiteral("location"), location);
    }
    return json;
}

QJsonObject RunRecord::toJson() const
{
    QJsonArray deps;
    for (const RunDependency &d : dependencies) {
        deps.append(d.toJson());
    }
    QJsonObject times;
    for (auto it = stageTimes.cbegin(); it != stageTimes.cend(); ++it) {
        times.insert(runStageName(it.key()),
            QJsonObject { { QStringLiteral("start"), it->start }, { QStringLiteral("end"), it->end } });
    }
    QJsonObject json { { QStringLiteral("uuid"), uuid }, { QStringLiteral("command"), command },
        { QStringLiteral("owner_id"), ownerId }, { QStringLiteral("resources"), resources.toJson() },
        { QStringLiteral("dependencies"), deps },
        { QStringLiteral("exclude_patterns"), QJsonArray::fromStringList(excludePatterns) },
        { QStringLiteral("store"), store }, { QStringLiteral("location"), location },
        { QStringLiteral("stage"), runStageName(stage) }, { QStringLiteral("run_status"), runStatus },
        { QStringLiteral("container_id"), containerId },
        { QStringLiteral("docker_image"), dockerImageDigest },
        { QStringLiteral("dependency_links"), QJsonArray::fromStringList(dependencyLinks) },
        { QStringLiteral("bundle_start_time"), double(bundleStartTime) },
        { QStringLiteral("container_start_ms"), double(containerStartMs) },
        { QStringLiteral("container_end_ms"), double(containerEndMs) },
        { QStringLiteral("time_user"), timeUserSec }, { QStringLiteral("time_system"), timeSystemSec },
        { QStringLiteral("cpu_usage"), cpuUsage }, { QStringLiteral("memory_usage"), memoryUsage },
        { QStringLiteral("memory_used"), double(memoryUsedBytes) },
        { QStringLiteral("max_memory"), double(maxMemoryBytes) },
        { QStringLiteral("disk_utilization"), double(diskUtilization) },
        { QStringLiteral("gpu_memory"), double(gpuMemoryBytes) },
        { QStringLiteral("gpu_utilization"), gpuUtilization },
        { QStringLiteral("gpu_memory_total"), double(gpuMemoryTotalBytes) },
        { QStringLiteral("history"), history.toJson() },
        { QStringLiteral("exitcode"), exitCode ? QJsonValue(*exitCode) : QJsonValue() },
        { QStringLiteral("failure_message"), failureMessage }, { QStringLiteral("killed"), killed },
        { QStringLiteral("kill_message"), killMessage }, { QStringLiteral("restage"), restage },
        { QStringLiteral("has_contents"), hasContents }, { QStringLiteral("finalized"), finalized },
        { QStringLiteral("uploaded_bytes"), double(uploadedBytes) },
        { QStringLiteral("stage_times"), times } };
    if (allocation) {
        QJsonArray cpus;
        for (int c : allocation->cpus) {
            cpus.append(c);
        }
        json.insert(QStringLiteral("cpuset"), cpus);
        json.insert(QStringLiteral("gpuset"), QJsonArray::fromStringList(allocation->gpuUuids));
    }
    return json;
}

std::optional<RunRecord> RunRecord::fromJson(const QJsonObject &json, QString *error)
{
    RunRecord r;
    r.uuid = json.value(QLatin1String("uuid")).toString();
    if (!util::BundleUuid::isValid(r.uuid)) {
        *error = QStringLiteral("a run whose uuid '%1' is not a bundle uuid").arg(r.uuid.left(80));
        return std::nullopt;
    }
    const auto stage = runStageFromName(json.value(QLatin1String("stage")).toString());
    if (!stage) {
        *error = QStringLiteral("run %1 has an unknown stage").arg(r.uuid);
        return std::nullopt;
    }
    r.stage = *stage;
    r.command = json.value(QLatin1String("command")).toString();
    r.ownerId = json.value(QLatin1String("owner_id")).toString();
    r.resources = RunResources::fromJson(json.value(QLatin1String("resources")).toObject());
    for (const QJsonValue &d : json.value(QLatin1String("dependencies")).toArray()) {
        r.dependencies << RunDependency::fromJson(d.toObject());
    }
    r.excludePatterns = toStringList(json.value(QLatin1String("exclude_patterns")));
    r.store = json.value(QLatin1String("store")).toString();
    r.location = json.value(QLatin1String("location")).toString();
    r.runStatus = json.value(QLatin1String("run_status")).toString();
    r.containerId = json.value(QLatin1String("container_id")).toString();
    r.dockerImageDigest = json.value(QLatin1String("docker_image")).toString();
    r.dependencyLinks = toStringList(json.value(QLatin1String("dependency_links")));
    r.bundleStartTime = util::jsonInt64(json.value(QLatin1String("bundle_start_time")));
    r.containerStartMs = util::jsonInt64(json.value(QLatin1String("container_start_ms")));
    r.containerEndMs = util::jsonInt64(json.value(QLatin1String("container_end_ms")));
    r.timeUserSec = json.value(QLatin1String("time_user")).toDouble();
    r.timeSystemSec = json.value(QLatin1String("time_system")).toDouble();
    r.cpuUsage = json.value(QLatin1String("cpu_usage")).toDouble();
    r.memoryUsage = json.value(QLatin1String("memory_usage")).toDouble();
    r.memoryUsedBytes = util::jsonInt64(json.value(QLatin1String("memory_used")));
    r.maxMemoryBytes = util::jsonInt64(json.value(QLatin1String("max_memory")));
    r.diskUtilization = util::jsonInt64(json.value(QLatin1String("disk_utilization")));
    r.gpuMemoryBytes = util::jsonInt64(json.value(QLatin1String("gpu_memory")), -1);
    r.gpuUtilization = json.value(QLatin1String("gpu_utilization")).toInt(-1);
    r.gpuMemoryTotalBytes = util::jsonInt64(json.value(QLatin1String("gpu_memory_total")));
    r.history = ResourceHistory::fromJson(json.value(QLatin1String("history")).toObject());
    if (json.value(QLatin1String("exitcode")).isDouble()) {
        r.exitCode = json.value(QLatin1String("exitcode")).toInt();
    }
    r.failureMessage = json.value(QLatin1String("failure_message")).toString();
    r.killed = json.value(QLatin1String("killed")).toBool();
    r.killMessage = json.value(QLatin1String("kill_message")).toString();
    r.restage = json.value(QLatin1String("restage")).toBool();
    r.hasContents = json.value(QLatin1String("has_contents")).toBool();
    r.finalized = json.value(QLatin1String("finalized")).toBool();
    r.uploadedBytes = util::jsonInt64(json.value(QLatin1String("uploaded_bytes")));
    if (json.contains(QLatin1String("cpuset"))) {
        Allocation a;
        for (const QJsonValue &c : json.value(QLatin1String("cpuset")).toArray()) {
            a.cpus << c.toInt();
        }
        a.gpuUuids = toStringList(json.value(QLatin1String("gpuset")));
        r.allocation = a;
    }
    const QJsonObject times = json.value(QLatin1String("stage_times")).toObject();
    for (auto it = times.begin(); it != times.end(); ++it) {
        if (const auto s = runStageFromName(it.key())) {
            const QJsonObject t = it.value().toObject();
            r.stageTimes.insert(
                *s, { t.value(QLatin1String("start")).toDouble(), t.value(QLatin1String("end")).toDouble() });
        }
    }
    return r;
}

std::optional<RunRecord> RunRecord::fromRunMessage(const QJsonObject &message, QString *error)
{
    const QJsonObject bundle = message.value(QLatin1String("bundle")).toObject();
    RunRecord r;
    r.uuid = bundle.value(QLatin1String("uuid")).toString();
    if (!util::BundleUuid::isValid(r.uuid)) {
        *error = QStringLiteral("a run message without a valid bundle uuid");
        return std::nullopt;
    }
    if (!message.value(QLatin1String("resources")).isObject()) {
        *error = QStringLiteral("run message for %1 has no resources").arg(r.uuid);
        return std::nullopt;
    }
    r.resources = RunResources::fromJson(message.value(QLatin1String("resources")).toObject());
    if (r.resources.dockerImage.isEmpty() || r.resources.cpus < 0 || r.resources.gpus < 0
        || r.resources.memoryBytes < 0 || r.resources.timeSec < 0 || r.resources.diskBytes < 0) {
        *error = QStringLiteral("run message for %1 has no Docker image or negative resources").arg(r.uuid);
        return std::nullopt;
    }
    r.command = bundle.value(QLatin1String("command")).toString();
    r.ownerId = bundle.value(QLatin1String("owner_id")).toString();
    r.location = bundle.value(QLatin1String("location")).toString();
    const QJsonObject metadata = bundle.value(QLatin1String("metadata")).toObject();
    r.excludePatterns = toStringList(metadata.value(QLatin1String("exclude_patterns")));
    r.store = metadata.value(QLatin1String("store")).toString();
    for (const QJsonValue &d : bundle.value(QLatin1String("dependencies")).toArray()) {
        const RunDependency dep = RunDependency::fromJson(d.toObject());
        // child_path is validated by the server (^[a-zA-Z0-9_\-./]*$); a worker still refuses escapes, as a
        // hostile server must not make it link or mount outside the run.
        const QStringList parts = dep.childPath.split(QLatin1Char('/'));
        if (!util::BundleUuid::isValid(dep.parentUuid) || dep.childPath.isEmpty()
            || dep.childPath.startsWith(QLatin1Char('/')) || parts.contains(QStringLiteral(".."))
            || dep.parentPath.split(QLatin1Char('/')).contains(QStringLiteral(".."))) {
            *error = QStringLiteral("run %1 has an unsafe dependency '%2'").arg(r.uuid, dep.childPath);
            return std::nullopt;
        }
        r.dependencies << dep;
    }
    return r;
}

QString RunRecord::serverState() const
{
    switch (stage) {
    case RunStage::Preparing:
        return QStringLiteral("preparing");
    case RunStage::Running:
    case RunStage::CleaningUp:
    case RunStage::UploadingResults:
        return QStringLiteral("running");
    case RunStage::Finalizing:
        return QStringLiteral("finalizing");
    case RunStage::Restaged:
        return QStringLiteral("staged");
    case RunStage::Finished:
        break;
    }
    return {};
}

double RunRecord::containerTimeTotalSec(qint64 nowMs) const
{
    if (containerStartMs <= 0) {
        return 0;
    }
    const qint64 end = containerEndMs > 0 ? containerEndMs : nowMs;
    return qMax<qint64>(0, end - containerStartMs) / 1000.0;
}

QJsonObject RunRecord::report(const QString &workerId, double nowSec) const
{
    // The server drops a whole report when one of these stage keys is missing (§3.3).
    QJsonObject profile;
    for (const RunStage s : { RunStage::Preparing, RunStage::Running, RunStage::CleaningUp,
             RunStage::UploadingResults, RunStage::Finalizing }) {
        const auto it = stageTimes.constFind(s);
        QJsonObject t { { QStringLiteral("start"), QJsonValue() }, { QStringLiteral("end"), QJsonValue() },
            { QStringLiteral("elapsed"), QJsonValue() } };
        if (it != stageTimes.cend() && it->start > 0) {
            t[QStringLiteral("start")] = it->start;
            const double end = it->end > 0 ? it->end : nowSec;
            if (it->end > 0) {
                t[QStringLiteral("end")] = it->end;
            }
            t[QStringLiteral("elapsed")] = qMax(0.0, end - it->start);
        }
        profile.insert(runStageName(s), t);
    }
    return { { QStringLiteral("uuid"), uuid }, { QStringLiteral("run_status"), runStatus },
        { QStringLiteral("bundle_start_time"), double(bundleStartTime) },
        { QStringLiteral("container_time_total"), containerTimeTotalSec(qint64(nowSec * 1000)) },
        { QStringLiteral("container_time_user"), timeUserSec },
        { QStringLiteral("container_time_system"), timeSystemSec },
        { QStringLiteral("docker_image"), orNull(dockerImageDigest) },
        { QStringLiteral("state"), serverState() }, { QStringLiteral("remote"), workerId },
        { QStringLiteral("exitcode"), exitCode ? QJsonValue(*exitCode) : QJsonValue() },
        { QStringLiteral("failure_message"), orNull(failureMessage) },
        { QStringLiteral("bundle_profile_stats"), profile }, { QStringLiteral("cpu_usage"), cpuUsage },
        { QStringLiteral("memory_usage"), memoryUsage },
        { QStringLiteral("disk_utilization"), double(diskUtilization) } };
}

void RunRecord::enterStage(RunStage next, double nowSec)
{
    if (next == stage && stageTimes.contains(stage)) {
        return;
    }
    if (stageTimes.contains(stage) && stageTimes[stage].end <= 0) {
        stageTimes[stage].end = nowSec;
    }
    stage = next;
    stageTimes[next].start = nowSec;
    stageTimes[next].end = 0;
}

bool RunRecord::setGpuUse(qint64 memoryBytes, int utilization, qint64 memoryTotalBytes)
{
    if (gpuMemoryBytes == memoryBytes && gpuUtilization == utilization
        && gpuMemoryTotalBytes == memoryTotalBytes) {
        return false;
    }
    gpuMemoryBytes = memoryBytes;
    gpuUtilization = utilization;
    gpuMemoryTotalBytes = memoryTotalBytes;
    return true;
}

void RunRecord::addFailure(const QString &message)
{
    failureMessage = failureMessage.isEmpty() ? message : failureMessage + QStringLiteral(". ") + message;
}

} // namespace codalab::worker
