// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/checkinfields.h"

#include <QJsonArray>
#include <QJsonValue>

namespace codalab::localserver {

bool CheckinFields::check(const QJsonObject &body, QString *error)
{
    for (const char *key : { "cpus", "gpus", "memory_bytes", "free_disk_bytes", "exit_after_num_runs" }) {
        const QJsonValue v = body.value(QLatin1String(key));
        if (!v.isUndefined() && !v.isDouble()) {
            *error = QStringLiteral("%1 must be a number").arg(QLatin1String(key));
            return false;
        }
    }
    for (const char *key : { "shared_file_system", "tag_exclusive", "is_terminating", "preemptible" }) {
        const QJsonValue v = body.value(QLatin1String(key));
        if (!v.isUndefined() && !v.isBool()) {
            *error = QStringLiteral("%1 must be true or false").arg(QLatin1String(key));
            return false;
        }
    }
    for (const char *key : { "tag", "group_name", "hostname" }) {
        const QJsonValue v = body.value(QLatin1String(key));
        if (!v.isUndefined() && !v.isNull() && !v.isString()) {
            *error = QStringLiteral("%1 must be a string or null").arg(QLatin1String(key));
            return false;
        }
    }
    for (const QJsonValue &run : body.value(QLatin1String("runs")).toArray()) {
        if (!run.isObject()) {
            *error = QStringLiteral("each of runs must be an object");
            return false;
        }
    }
    return true;
}

} // namespace codalab::localserver
