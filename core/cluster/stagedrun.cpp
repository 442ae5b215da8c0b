// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/stagedrun.h"

#include "util/bytesize.h"
#include "util/duration.h"

namespace codalab::cluster {

std::optional<StagedRun> StagedRun::fromResource(const QJsonObject &resource)
{
    StagedRun r;
    r.uuid = resource.value(QLatin1String("id")).toString();
    if (r.uuid.isEmpty()) {
        return std::nullopt;
    }
    const QJsonObject metadata
        = resource.value(QLatin1String("attributes")).toObject().value(QLatin1String("metadata")).toObject();
    r.name = metadata.value(QLatin1String("name")).toString();
    r.cpus = qMax(1, metadata.value(QLatin1String("request_cpus")).toInt(1));
    r.gpus = qMax(0, metadata.value(QLatin1String("request_gpus")).toInt(0));
    r.queue = metadata.value(QLatin1String("request_queue")).toString();
    // Sizes and durations come as `cl run` wrote them ("2g", "1h"); upstream's server also accepts numbers.
    const auto text = [&](const char *key) {
        const QJsonValue v = metadata.value(QLatin1String(key));
        return v.isDouble() ? QString::number(v.toInteger()) : v.toString();
    };
    if (const auto bytes = util::ByteSize::parse(text("request_memory")); bytes && *bytes > 0) {
        r.memoryBytes = *bytes;
    }
    if (const auto seconds = util::Duration::parse(text("request_time")); seconds && *seconds > 0) {
        r.timeSeconds = *seconds;
    }
    return r;
}

} // namespace codalab::cluster
