// SPDX-License-Identifier: GPL-3.0-or-later
#include "tray/notifier.h"

#include "common/units.h"

#include <QJsonArray>

namespace codalab::ui {

namespace {

using Kind = NotificationBurst::Kind;
using Setting = DesktopSettings::Notification;

constexpr int MaxCommandChars = 40;

bool isDoneStage(const QString &stage)
{
    return stage == QLatin1String("RUN_STAGE.FINALIZING") || stage == QLatin1String("RUN_STAGE.FINISHED");
}

// Stages after the container exited: a run that leaves the list from one of them has been delivered.
bool isLateStage(const QString &stage)
{
    return isDoneStage(stage) || stage == QLatin1String("RUN_STAGE.CLEANING_UP")
        || stage == QLatin1String("RUN_STAGE.UPLOADING_RESULTS");
}

} // namespace

Notifier::Notifier(DesktopSettings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(3000);
    connect(&m_timer, &QTimer::timeout, this, &Notifier::flush);
}

void Notifier::setStatus(bool connected, const QJsonObject &status, const QString &offlineReason)
{
    if (connected && status.isEmpty()) {
        return; // the link just came up and its first status is on the way
    }
    if (!connected) {
        updateLink(false,
            offlineReason.isEmpty() ? tr("The worker stopped running.")
                                    : tr("The worker stopped running (%1).").arg(offlineReason));
        return; // the runs it had are not gone: compare them with its first status when it is back
    }
    const QJsonObject server = status.value(QLatin1String("server")).toObject();
    const QString serverError = server.value(QLatin1String("last_error")).toString();
    const bool serverUp = server.value(QLatin1String("connected")).toBool();
    updateRuns(status, !m_started);
    updateDisk(status);
    updateLink(serverUp,
        serverUp ? tr("The worker is connected to its CodaLab server again.")
                 : (serverError.isEmpty()
                         ? tr("The worker lost its CodaLab server.")
                         : tr("The worker cannot reach its CodaLab server: %1").arg(serverError)));
    m_started = true;
}

void Notifier::runEnded(const QJsonObject &run)
{
    const QString uuid = run.value(QLatin1String("uuid")).toString();
    if (!m_started || uuid.isEmpty() || m_announced.contains(uuid)) {
        return;
    }
    m_announced.insert(uuid); // the status without it that follows stays quiet
    announceEnd(readRun(run));
}

void Notifier::announceEnd(const RunSeen &seen)
{
    if (seen.failure.isEmpty()) {
        post(Setting::RunFinished, { Kind::RunFinished, seen.label, {} });
    } else {
        post(Setting::RunFailed, { Kind::RunFailed, seen.label, seen.failure });
    }
}

void Notifier::updateLink(bool online, const QString &reason)
{
    if (online == m_online) {
        return;
    }
    m_online = online;
    if (!online) {
        m_wentOffline = true;
        post(Setting::WorkerOffline, { Kind::WorkerOffline, {}, reason });
    } else if (m_wentOffline) {
        m_wentOffline = false;
        post(Setting::WorkerOffline, { Kind::WorkerBack, {}, reason });
    }
}

Notifier::RunSeen Notifier::readRun(const QJsonObject &run)
{
    RunSeen seen;
    seen.stage = run.value(QLatin1String("stage")).toString();
    const QString uuid = run.value(QLatin1String("uuid")).toString();
    QString command = run.value(QLatin1String("command")).toString().simplified();
    if (command.size() > MaxCommandChars) {
        command = command.left(MaxCommandChars - 1) + QChar(0x2026);
    }
    const QString shortUuid = uuid.left(10);
    seen.label = command.isEmpty() ? tr("run %1").arg(shortUuid) : tr("run %1 (%2)").arg(shortUuid, command);
    const QJsonValue exitCode = run.value(QLatin1String("exitcode"));
    seen.failure = run.value(QLatin1String("failure_message")).toString();
    if (seen.failure.isEmpty() && run.value(QLatin1String("killed")).toBool()) {
        seen.failure = tr("killed");
    }
    if (seen.failure.isEmpty() && exitCode.isDouble() && exitCode.toInt() != 0) {
        seen.failure = tr("exit code %1").arg(exitCode.toInt());
    }
    return seen;
}

void Notifier::updateRuns(const QJsonObject &status, bool baseline)
{
    QHash<QString, RunSeen> now;
    const QJsonArray runs = status.value(QLatin1String("runs")).toArray();
    for (const QJsonValue &value : runs) {
        const QJsonObject run = value.toObject();
        const QString uuid = run.value(QLatin1String("uuid")).toString();
        const RunSeen seen = readRun(run);
        now.insert(uuid, seen);
        if (!isDoneStage(seen.stage) || m_announced.contains(uuid)) {
            continue;
        }
        m_announced.insert(uuid);
        if (baseline) {
            continue; // done before we looked
        }
        announceEnd(seen);
    }
    for (auto it = m_runs.cbegin(); it != m_runs.cend(); ++it) {
        if (now.contains(it.key()) || m_announced.contains(it.key())) {
            continue;
        }
        const RunSeen &last = it.value();
        if (last.failure.isEmpty() ? isLateStage(last.stage)
                                   : last.stage != QLatin1String("RUN_STAGE.RESTAGED")) {
            announceEnd(last);
        }
        // Otherwise it was given back or restaged: not the user's news.
    }
    // Forget what the worker forgot, so the set does not grow for ever.
    for (auto it = m_announced.begin(); it != m_announced.end();) {
        it = now.contains(*it) ? std::next(it) : m_announced.erase(it);
    }
    m_runs = now;
}

void Notifier::updateDisk(const QJsonObject &status)
{
    const QJsonObject machine = status.value(QLatin1String("machine")).toObject();
    const double total = machine.value(QLatin1String("disk_total_bytes")).toDouble();
    const QJsonValue freeValue = machine.value(QLatin1String("disk_free_bytes"));
    if (total <= 0 || !freeValue.isDouble()) {
        return; // not measured: say nothing rather than guess
    }
    const double free = freeValue.toDouble();
    const bool low = free < double(DiskLowBytes) || free < total * DiskLowFraction;
    if (low == m_diskLow) {
        return;
    }
    m_diskLow = low;
    if (low) {
        const QString where = machine.value(QLatin1String("work_dir")).toString();
        const QString amount = tr("%1 (%2)").arg(Units::bytes(free), Units::percent(free / total));
        post(Setting::DiskLow,
            { Kind::DiskLow, {},
                where.isEmpty() ? tr("Only %1 left on the worker's disk.").arg(amount)
                                : tr("Only %1 left on the disk of %2.").arg(amount, where) });
    }
}

void Notifier::post(DesktopSettings::Notification setting, const NotificationBurst::Event &event)
{
    if (!m_settings->notificationEnabled(setting)) {
        return;
    }
    m_burst.add(event);
    if (!m_timer.isActive()) {
        // From the first event, not restarted by later ones: a steady stream still gets through.
        m_timer.start();
    }
}

void Notifier::flush()
{
    m_timer.stop();
    if (m_burst.isEmpty()) {
        return;
    }
    const QString title = m_burst.title();
    const QString body = m_burst.body();
    m_burst.clear();
    Q_EMIT notify(title, body);
}

} // namespace codalab::ui
