// SPDX-License-Identifier: GPL-3.0-or-later
#include "submit/fitcheck.h"

#include "common/units.h"
#include "util/bytesize.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLocale>

namespace codalab::ui {

namespace {

/// A worker that has not checked in for this long is gone as far as the scheduler cares (upstream drops
/// workers after a few missed check-ins).
constexpr qint64 LiveCheckinSec = 180;

QString queueWords(const server::RunRequest &request)
{
    return request.queue.isEmpty() ? FitCheck::tr("runs without a queue tag")
                                   : FitCheck::tr("tag “%1”").arg(request.queue);
}

} // namespace

bool FitCheck::serves(const QJsonObject &w, const server::RunRequest &request, qint64 nowSec)
{
    if (nowSec - qint64(w.value(QLatin1String("checkin_time")).toDouble()) > LiveCheckinSec
        || w.value(QLatin1String("is_terminating")).toBool()) {
        return false;
    }
    const QString tag = w.value(QLatin1String("tag")).toString();
    if (!request.queue.isEmpty() ? request.queue != tag
                                 : w.value(QLatin1String("tag_exclusive")).toBool() && !tag.isEmpty()) {
        return false;
    }
    const auto asked = util::ByteSize::parse(request.memory);
    const double memory = w.value(QLatin1String("memory_bytes")).toDouble();
    return w.value(QLatin1String("cpus")).toInt() >= request.cpus
        && w.value(QLatin1String("gpus")).toInt() >= request.gpus
        && (!asked || memory <= 0 || double(*asked) <= memory);
}

QStringList FitCheck::check(const server::RunRequest &request, const QJsonObject &status,
    const std::optional<QJsonArray> &serverWorkers, qint64 nowSec)
{
    if (serverWorkers) {
        if (nowSec == 0) {
            nowSec = QDateTime::currentSecsSinceEpoch();
        }
        const QString ownId = status.value(QLatin1String("worker_id")).toString();
        for (const QJsonValue &w : *serverWorkers) {
            const QJsonObject worker = w.toObject();
            // Another live worker takes it: whatever this computer's worker does, the run does not wait.
            if (worker.value(QLatin1String("worker_id")).toString() != ownId
                && serves(worker, request, nowSec)) {
                return {};
            }
        }
    }
    if (status.isEmpty()) {
        // Only what is known: the server's shared workers, which it does not list, may still take the run.
        return { serverWorkers
                ? tr("No worker of yours serves %1, and the worker on this computer is not running.")
                      .arg(queueWords(request))
                : tr("The worker on this computer is not running: no worker here will take the run.") };
    }
    QStringList out;
    const QString availability = status.value(QLatin1String("availability")).toString();
    if (availability == QLatin1String("paused")) {
        out << tr("Your worker is paused: the run will wait.");
    } else if (availability == QLatin1String("snoozed")) {
        const QJsonValue until = status.value(QLatin1String("snooze_until"));
        out << (until.isDouble()
                ? tr("Your worker is snoozed until %1: the run will wait.")
                      .arg(Units::moment(QDateTime::fromSecsSinceEpoch(qint64(until.toDouble())),
                          QDateTime::currentDateTime()))
                : tr("Your worker is snoozed: the run will wait."));
    } else if (availability == QLatin1String("draining") || availability == QLatin1String("drained")
        || availability == QLatin1String("stopping")) {
        out << tr("Your worker takes no new runs (%1): the run will wait for another worker.")
                   .arg(availability);
    }
    // Only a failed check-in counts: a worker that has not checked in yet is not connected either, and its
    // status is not pushed again when the first check-in goes through.
    const QJsonObject server = status.value(QLatin1String("server")).toObject();
    if (!server.value(QLatin1String("connected")).toBool(true)
        && !server.value(QLatin1String("last_error")).toString().isEmpty()) {
        out << tr("Your worker cannot reach its server: the run will wait.");
    }

    // The scheduler's tag rules: a queue tag picks the workers with that tag; a tag-exclusive worker takes
    // only runs with its tag.
    const QString tag = status.value(QLatin1String("tag")).toString();
    if (!request.queue.isEmpty() && request.queue != tag) {
        out << (tag.isEmpty() ? tr("Queue tag “%1”: your worker has no tag, so the run will not run on this "
                                   "workstation.")
                                    .arg(request.queue)
                              : tr("Queue tag “%1” differs from your worker's tag “%2”: the run will not run "
                                   "on this workstation.")
                                    .arg(request.queue, tag));
    } else if (request.queue.isEmpty() && status.value(QLatin1String("tag_exclusive")).toBool()
        && !tag.isEmpty()) {
        out << tr("Your worker only takes runs tagged “%1”: with no queue tag the run will not run on this "
                  "workstation.")
                   .arg(tag);
    }

    const QJsonObject machine = status.value(QLatin1String("machine")).toObject();
    // A worker without --cpuset lends every CPU of the machine.
    int cpus = int(status.value(QLatin1String("cpuset")).toArray().size());
    if (cpus == 0) {
        cpus = machine.value(QLatin1String("cpu_threads")).toInt();
    }
    // One sentence per resource, its plural on the asked count; the request stays as typed ("64g"), the
    // machine's amounts are written the way every page writes sizes ("16 GiB").
    if (cpus > 0 && request.cpus > cpus) {
        out << tr("Asks for %n CPU(s); your worker has %1.", nullptr, request.cpus)
                   .arg(QString::number(cpus));
    }
    int gpus = 0;
    for (const QJsonValue &g : status.value(QLatin1String("gpus")).toArray()) {
        gpus += g.toObject().value(QLatin1String("enabled")).toBool(true) ? 1 : 0;
    }
    if (request.gpus > gpus) {
        out << (gpus == 0 ? tr("Asks for %n GPU(s); your worker has none.", nullptr, request.gpus)
                          : tr("Asks for %n GPU(s); your worker has %1.", nullptr, request.gpus)
                                .arg(QString::number(gpus)));
    }
    const double memory = machine.value(QLatin1String("memory_total_bytes")).toDouble();
    const auto askedMemory = util::ByteSize::parse(request.memory);
    if (memory > 0 && askedMemory && double(*askedMemory) > memory) {
        out << tr("Asks for %1 of memory; your worker's machine has %2.")
                   .arg(request.memory.trimmed(), Units::bytes(memory));
    }
    const QJsonValue freeDisk = machine.value(QLatin1String("disk_free_bytes"));
    const auto askedDisk = util::ByteSize::parse(request.disk);
    if (freeDisk.isDouble() && askedDisk && double(*askedDisk) > freeDisk.toDouble()) {
        out << tr("Asks for %1 of disk; your worker's work directory has %2 free.")
                   .arg(request.disk.trimmed(), Units::bytes(freeDisk.toDouble()));
    }
    return out;
}

} // namespace codalab::ui
