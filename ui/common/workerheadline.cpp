// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/workerheadline.h"

#include "common/units.h"

#include <QJsonArray>

namespace codalab::ui {

WorkerHeadline WorkerHeadline::of(const QJsonObject &status, const QDateTime &now)
{
    WorkerHeadline h;
    if (status.isEmpty()) {
        h.text = tr("Not running");
        h.colour = QStringLiteral("#757575");
        return h;
    }
    const QJsonObject server = status.value(QLatin1String("server")).toObject();
    const QString serverError = server.value(QLatin1String("last_error")).toString();
    const QJsonObject docker = status.value(QLatin1String("docker")).toObject();
    if (docker.value(QLatin1String("ok")) == QJsonValue(false)) {
        h.kind = Kind::Problem;
        h.text = tr("Docker is not usable");
        h.reason = docker.value(QLatin1String("error")).toString();
    } else if (!serverError.isEmpty()) {
        h.kind = Kind::Problem;
        h.text = tr("The server is not reached");
        h.reason = serverError;
    }
    if (h.kind == Kind::Problem) {
        if (h.reason.isEmpty()) {
            h.reason = tr("no reason given");
        }
        h.colour = QStringLiteral("#c62828");
        return h;
    }
    const QString a = status.value(QLatin1String("availability")).toString();
    const QJsonArray slotArray = status.value(QLatin1String("slots")).toArray();
    const int slotCount = status.value(QLatin1String("slot_count")).toInt(int(slotArray.size()));
    int busy = 0;
    for (const QJsonValue &slot : slotArray) {
        busy += slot.toObject().value(QLatin1String("run")).isString() ? 1 : 0;
    }
    if (!server.value(QLatin1String("connected")).toBool() && a != QLatin1String("stopping")) {
        // Up, but not checked in yet, and no error so far: it is still starting, not "Available".
        h.kind = Kind::Starting;
        h.text = tr("Starting the worker…");
        h.colour = QStringLiteral("#757575");
    } else if (a == QLatin1String("available")) {
        if (slotCount > 0 && busy >= slotCount) {
            h.kind = Kind::Busy;
            h.text = tr("Busy — %1 of %n slot(s)", nullptr, slotCount).arg(busy);
            h.colour = QStringLiteral("#1565c0");
        } else {
            h.kind = Kind::Available;
            h.text = busy > 0 ? tr("Available — %1 of %n slot(s) busy", nullptr, slotCount).arg(busy)
                              : tr("Available");
            h.colour = QStringLiteral("#2e7d32");
        }
    } else if (a == QLatin1String("paused")) {
        h.kind = Kind::Paused;
        h.text = tr("Paused");
        h.colour = QStringLiteral("#e65100");
    } else if (a == QLatin1String("snoozed")) {
        h.kind = Kind::Snoozed;
        const QJsonValue until = status.value(QLatin1String("snooze_until"));
        h.text = until.isDouble()
            ? tr("Snoozed until %1")
                  .arg(Units::moment(QDateTime::fromSecsSinceEpoch(qint64(until.toDouble())), now))
            : tr("Snoozed");
        h.colour = QStringLiteral("#1565c0");
    } else if (a == QLatin1String("draining")) {
        h.kind = Kind::Draining;
        h.text = tr(
            "Draining (%n run(s) left)", nullptr, int(status.value(QLatin1String("runs")).toArray().size()));
        h.colour = QStringLiteral("#e65100");
    } else if (a == QLatin1String("drained")) {
        h.kind = Kind::Draining;
        h.text = tr("Drained: takes no new runs");
        h.colour = QStringLiteral("#757575");
    } else if (a == QLatin1String("stopping")) {
        h.kind = Kind::Stopping;
        h.text = tr("Stopping");
        h.colour = QStringLiteral("#c62828");
    } else {
        h.kind = Kind::Starting;
        h.text = tr("Starting the worker…");
        h.colour = QStringLiteral("#757575");
    }
    return h;
}

QString WorkerHeadline::statusLine(
    bool connected, const QString &linkError, const QJsonObject &status, const QDateTime &now, bool *ok)
{
    if (!connected) {
        *ok = false;
        return linkError.isEmpty() ? tr("Worker not running") : tr("Worker not running: %1").arg(linkError);
    }
    if (status.isEmpty()) {
        return {};
    }
    const WorkerHeadline h = of(status, now);
    const QString id = status.value(QLatin1String("worker_id")).toString();
    *ok = h.kind != Kind::Problem;
    return h.reason.isEmpty() ? tr("Worker %1: %2").arg(id, h.text)
                              : tr("Worker %1: %2: %3").arg(id, h.text, h.reason);
}

} // namespace codalab::ui
