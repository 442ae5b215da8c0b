// SPDX-License-Identifier: GPL-3.0-or-later
#include "tray/traystate.h"

#include "common/units.h"

#include <QJsonArray>
#include <QLocale>

namespace codalab::ui {

namespace {

bool isUnfinished(const QJsonObject &run)
{
    // A FINISHED run waits only for the server to forget it, and a RESTAGED one was handed back.
    const QString stage = run.value(QLatin1String("stage")).toString();
    return stage != QLatin1String("RUN_STAGE.FINISHED") && stage != QLatin1String("RUN_STAGE.RESTAGED");
}

} // namespace

TrayState TrayState::fromStatus(
    bool connected, const QJsonObject &status, const QString &offlineReason, const QDateTime &now)
{
    TrayState s;
    s.m_now = now;
    if (!connected || status.isEmpty()) {
        s.m_kind = Kind::Offline;
        if (!connected) {
            s.m_reason = offlineReason.isEmpty() ? tr("the worker is not running") : offlineReason;
        } else {
            s.m_reason = tr("waiting for the worker's status");
        }
        return s;
    }
    s.m_canCommand = true;
    s.m_availability = status.value(QLatin1String("availability")).toString();
    const QJsonArray runs = status.value(QLatin1String("runs")).toArray();
    for (const QJsonValue &r : runs) {
        s.m_runs += isUnfinished(r.toObject()) ? 1 : 0;
    }
    const QJsonArray slotArray = status.value(QLatin1String("slots")).toArray();
    s.m_slotCount = status.value(QLatin1String("slot_count")).toInt(int(slotArray.size()));
    for (const QJsonValue &slot : slotArray) {
        s.m_freeSlots += slot.toObject().value(QLatin1String("run")).isString() ? 0 : 1;
    }
    const QJsonValue snooze = status.value(QLatin1String("snooze_until"));
    if (snooze.isDouble()) {
        s.m_snoozeUntil = QDateTime::fromSecsSinceEpoch(qint64(snooze.toDouble())).toLocalTime();
    }

    const QJsonObject server = status.value(QLatin1String("server")).toObject();
    const QString serverError = server.value(QLatin1String("last_error")).toString();
    const QJsonObject docker = status.value(QLatin1String("docker")).toObject();
    if (docker.value(QLatin1String("ok")) == QJsonValue(false)) {
        // It checks in but cannot start a container: runs sent here would fail.
        s.m_kind = Kind::Error;
        s.m_reason = tr("Docker is not usable: %1").arg(docker.value(QLatin1String("error")).toString());
    } else if (!serverError.isEmpty()) {
        s.m_kind = Kind::Error;
        s.m_reason = serverError;
    } else if (!server.value(QLatin1String("connected")).toBool()) {
        s.m_kind = Kind::Offline;
        s.m_reason = tr("not connected to the CodaLab server yet");
    } else if (s.m_availability == QLatin1String("paused")) {
        s.m_kind = Kind::Paused;
    } else if (s.m_availability == QLatin1String("snoozed")) {
        s.m_kind = Kind::Snoozed;
    } else if (s.m_availability == QLatin1String("draining") || s.m_availability == QLatin1String("drained")
        || s.m_availability == QLatin1String("stopping")) {
        s.m_kind = Kind::Draining;
    } else {
        s.m_kind = s.m_runs > 0 ? Kind::Running : Kind::Idle;
    }
    return s;
}

QString TrayState::runsText() const
{
    return tr("%n run(s)", nullptr, m_runs);
}

QString TrayState::slotsText() const
{
    if (m_slotCount == 0) {
        return tr("no slots");
    }
    if (m_freeSlots == 0) {
        return tr("all slots busy");
    }
    return tr("%n slot(s) free", nullptr, m_freeSlots);
}

QString TrayState::snoozeEndText() const
{
    if (!m_snoozeUntil.isValid()) {
        return {};
    }
    return Units::moment(m_snoozeUntil, m_now);
}

QString TrayState::summary() const
{
    // Runs still going matter in every state a user chose: pausing or snoozing does not stop them.
    const QString stillRunning = m_runs > 0 ? tr(" (%1 still running)").arg(runsText()) : QString();
    switch (m_kind) {
    case Kind::Idle:
        return tr("Available, %1").arg(slotsText());
    case Kind::Running:
        return tr("Running %1, %2").arg(runsText(), slotsText());
    case Kind::Paused:
        return tr("Paused: taking no new runs") + stillRunning;
    case Kind::Snoozed:
        return m_snoozeUntil.isValid() ? tr("Snoozed until %1").arg(snoozeEndText()) + stillRunning
                                       : tr("Snoozed") + stillRunning;
    case Kind::Draining:
        if (m_availability == QLatin1String("stopping")) {
            return tr("Stopping");
        }
        if (m_availability == QLatin1String("drained") || m_runs == 0) {
            return tr("Drained: no runs left, taking no new ones");
        }
        return tr("Draining: finishing %1, taking no new ones").arg(runsText());
    case Kind::Offline:
        return tr("Offline: %1").arg(m_reason);
    case Kind::Error:
        return tr("Error: %1").arg(m_reason);
    }
    return {};
}

QString TrayState::tooltip() const
{
    QString text = summary();
    if (!text.isEmpty()) {
        // "Running 2 runs" reads as "running 2 runs" after the dash; a reason keeps its own case.
        text[0] = text.at(0).toLower();
    }
    return tr("CodaLab worker — %1").arg(text);
}

QString TrayState::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Idle:
        return tr("Available");
    case Kind::Running:
        return tr("Running");
    case Kind::Paused:
        return tr("Paused");
    case Kind::Snoozed:
        return tr("Snoozed");
    case Kind::Draining:
        return tr("Draining");
    case Kind::Offline:
        return tr("Offline");
    case Kind::Error:
        return tr("Error");
    }
    return {};
}

} // namespace codalab::ui
