// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/workersnapshot.h"

#include "util/jsonnumber.h"

#include <QJsonArray>

namespace codalab::worker {

QJsonObject WorkerSnapshot::toJson() const
{
    QJsonArray runArray;
    for (const RunRecord &r : runs) {
        runArray.append(r.toJson());
    }
    QJsonObject json { { QStringLiteral("version"), 1 }, { QStringLiteral("worker_id"), workerId },
        { QStringLiteral("runs"), runArray }, { QStringLiteral("runs_started"), runsStarted },
        { QStringLiteral("availability"), availability },
        { QStringLiteral("snooze_until"),
            double(snoozeUntil.isValid() ? snoozeUntil.toSecsSinceEpoch() : 0) },
        { QStringLiteral("disabled_gpus"), QJsonArray::fromStringList(disabledGpus) } };
    if (slotCount) {
        json.insert(QStringLiteral("slots"), *slotCount);
    }
    return json;
}

WorkerSnapshot WorkerSnapshot::fromJson(const QJsonObject &json, QStringList *dropped)
{
    WorkerSnapshot s;
    s.workerId = json.value(QLatin1String("worker_id")).toString();
    s.runsStarted = qMax(0, json.value(QLatin1String("runs_started")).toInt());
    s.availability = json.value(QLatin1String("availability")).toString();
    const qint64 snooze = util::jsonInt64(json.value(QLatin1String("snooze_until")));
    if (snooze > 0) {
        s.snoozeUntil = QDateTime::fromSecsSinceEpoch(snooze);
    }
    if (json.value(QLatin1String("slots")).isDouble()) {
        s.slotCount = qMax(0, json.value(QLatin1String("slots")).toInt());
    }
    for (const QJsonValue &g : json.value(QLatin1String("disabled_gpus")).toArray()) {
        s.disabledGpus << g.toString();
    }
    for (const QJsonValue &v : json.value(QLatin1String("runs")).toArray()) {
        QString error;
        if (auto record = RunRecord::fromJson(v.toObject(), &error)) {
            s.runs << *record;
        } else {
            dropped->append(error);
        }
    }
    return s;
}

} // namespace codalab::worker
