// SPDX-License-Identifier: GPL-3.0-or-later
#include "myruns/ownworkerhold.h"

#include "server/bundlestate.h"
#include "server/metadatakey.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLocale>

namespace codalab::ui {

bool OwnWorkerHold::couldTake(const QJsonObject &workerStatus, const QJsonObject &bundle)
{
    const QJsonObject m
        = bundle.value(QLatin1String("attributes")).toObject().value(QLatin1String("metadata")).toObject();
    // The scheduler's tag rules (codalab-protocol.md §5.9): a queue tag picks the workers with that tag; a
    // tag-exclusive worker takes only runs with its tag.
    const QString queue = m.value(server::MetadataKey::RequestQueue).toString();
    const QString tag = workerStatus.value(QLatin1String("tag")).toString();
    if (!queue.isEmpty() ? queue != tag
                         : workerStatus.value(QLatin1String("tag_exclusive")).toBool() && !tag.isEmpty()) {
        return false;
    }
    // A worker without --cpuset lends every CPU of the machine; an unknown count is no reason to say no.
    int cpus = int(workerStatus.value(QLatin1String("cpuset")).toArray().size());
    if (cpus == 0) {
        cpus = workerStatus.value(QLatin1String("machine"))
                   .toObject()
                   .value(QLatin1String("cpu_threads"))
                   .toInt();
    }
    if (cpus > 0 && m.value(server::MetadataKey::RequestCpus).toInt(1) > cpus) {
        return false;
    }
    int gpus = 0;
    for (const QJsonValue &g : workerStatus.value(QLatin1String("gpus")).toArray()) {
        gpus += g.toObject().value(QLatin1String("enabled")).toBool(true) ? 1 : 0;
    }
    return m.value(server::MetadataKey::RequestGpus).toInt(0) <= gpus;
}

QString OwnWorkerHold::reason(const QJsonObject &workerStatus, const QJsonObject &bundle)
{
    const QString state
        = bundle.value(QLatin1String("attributes")).toObject().value(QLatin1String("state")).toString();
    if (state != server::BundleState::Staged || workerStatus.isEmpty() || !couldTake(workerStatus, bundle)) {
        return {};
    }
    const QString availability = workerStatus.value(QLatin1String("availability")).toString();
    if (availability == QLatin1String("paused")) {
        return tr("Your worker is paused: the run will wait.");
    }
    if (availability == QLatin1String("snoozed")) {
        const QJsonValue until = workerStatus.value(QLatin1String("snooze_until"));
        return until.isDouble()
            ? tr("Your worker is snoozed until %1: the run will wait.")
                  .arg(QLocale().toString(
                      QDateTime::fromSecsSinceEpoch(qint64(until.toDouble())).time(), QLocale::ShortFormat))
            : tr("Your worker is snoozed: the run will wait.");
    }
    if (availability == QLatin1String("draining") || availability == QLatin1String("drained")) {
        return tr("Your worker takes no new runs (%1): the run will wait for another worker.")
            .arg(availability);
    }
    return {};
}

} // namespace codalab::ui
