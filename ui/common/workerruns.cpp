// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/workerruns.h"

#include <QJsonArray>

namespace codalab::ui {

QJsonObject WorkerRuns::newest(const QJsonObject &status)
{
    QJsonObject best;
    for (const QJsonValue &v : status.value(QLatin1String("runs")).toArray()) {
        const QJsonObject run = v.toObject();
        // Without a directory (not prepared yet) there is nothing to read: an older run stays in view.
        if (!runDir(run).isEmpty() && (best.isEmpty() || startTime(run) > startTime(best))) {
            best = run;
        }
    }
    return best;
}

QJsonObject WorkerRuns::find(const QJsonObject &status, const QString &uuid)
{
    for (const QJsonValue &v : status.value(QLatin1String("runs")).toArray()) {
        if (v.toObject().value(QLatin1String("uuid")).toString() == uuid) {
            return v.toObject();
        }
    }
    return {};
}

bool WorkerRuns::knowsRuns(const QJsonObject &status)
{
    return status.value(QLatin1String("runs")).isArray();
}

double WorkerRuns::startTime(const QJsonObject &run)
{
    return run.value(QLatin1String("bundle_start_time")).toDouble();
}

QString WorkerRuns::runDir(const QJsonObject &run)
{
    return run.value(QLatin1String("run_dir")).toString();
}

} // namespace codalab::ui
