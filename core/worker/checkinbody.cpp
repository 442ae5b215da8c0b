// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/checkinbody.h"

#include "worker/dependencycache.h"
#include "worker/run.h"
#include "worker/worker.h"

#include <QJsonArray>
#include <QStorageInfo>

namespace codalab::worker {

QJsonObject CheckinBody::build(const Worker &worker)
{
    const WorkerConfig &config = worker.config();
    QJsonArray reports;
    const double now = QDateTime::currentMSecsSinceEpoch() / 1000.0;
    for (Run *r : worker.runs()) {
        const RunRecord &rec = r->record();
        // A run is not reported once mark_finalized arrived (§3.3): the server would reopen it.
        if (rec.stage == RunStage::Finished || (rec.stage == RunStage::Finalizing && rec.finalized)) {
            continue;
        }
        reports.append(rec.report(config.id, now));
    }
    const QStorageInfo disk(config.workDir);
    return { { QStringLiteral("tag"), config.tag.isEmpty() ? QJsonValue() : QJsonValue(config.tag) },
        { QStringLiteral("group_name"),
            config.groupName.isEmpty() ? QJsonValue() : QJsonValue(config.groupName) },
        { QStringLiteral("cpus"), worker.allocator().advertisedCpus() },
        { QStringLiteral("gpus"), worker.allocator().advertisedGpus() },
        { QStringLiteral("memory_bytes"), double(config.memoryBytes) },
        { QStringLiteral("free_disk_bytes"), double(qMax<qint64>(0, disk.bytesAvailable())) },
        { QStringLiteral("dependencies"),
            config.sharedFileSystem ? QJsonArray() : worker.dependencyCache()->checkinDependencies() },
        { QStringLiteral("hostname"), config.hostname }, { QStringLiteral("runs"), reports },
        { QStringLiteral("shared_file_system"), config.sharedFileSystem },
        { QStringLiteral("tag_exclusive"), config.tagExclusive && !config.tag.isEmpty() },
        { QStringLiteral("exit_after_num_runs"), worker.runsToOffer() },
        { QStringLiteral("is_terminating"), worker.availability() == Worker::Availability::Stopping },
        { QStringLiteral("preemptible"), config.preemptible } };
}

} // namespace codalab::worker
