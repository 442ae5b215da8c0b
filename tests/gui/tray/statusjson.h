// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Worker status JSON for the tray's unit tests, in WorkerStatus's shape (core/worker/workerstatus.cpp):
// only the keys the tray reads, with the stage names core/worker/runrecord.cpp writes.

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace codalab::test {

inline QJsonObject runJson(const QString &uuid, const QString &stage,
    const QJsonValue &exitCode = QJsonValue(), const QString &failure = {}, bool killed = false)
{
    return { { QStringLiteral("uuid"), uuid },
        { QStringLiteral("stage"), QString(QStringLiteral("RUN_STAGE.") + stage) },
        { QStringLiteral("command"), QStringLiteral("python train.py --epochs 3") },
        { QStringLiteral("exitcode"), exitCode }, { QStringLiteral("failure_message"), failure },
        { QStringLiteral("killed"), killed } };
}

/// `slotRuns`: one entry per slot, the uuid of its run or empty for a free slot.
inline QJsonObject statusJson(const QString &availability, const QJsonArray &runs = {},
    const QStringList &slotRuns = { QString() }, bool serverConnected = true, const QString &serverError = {})
{
    QJsonArray slotArray;
    for (int i = 0; i < slotRuns.size(); ++i) {
        slotArray.append(QJsonObject { { QStringLiteral("index"), i },
            { QStringLiteral("run"),
                slotRuns.at(i).isEmpty() ? QJsonValue() : QJsonValue(slotRuns.at(i)) } });
    }
    return { { QStringLiteral("worker_id"), QStringLiteral("test-worker") },
        { QStringLiteral("availability"), availability }, { QStringLiteral("snooze_until"), QJsonValue() },
        { QStringLiteral("server"),
            QJsonObject { { QStringLiteral("connected"), serverConnected },
                { QStringLiteral("last_error"), serverError } } },
        { QStringLiteral("slot_count"), int(slotRuns.size()) }, { QStringLiteral("slots"), slotArray },
        { QStringLiteral("gpus"), QJsonArray() }, { QStringLiteral("runs"), runs } };
}

inline QJsonObject withDisk(QJsonObject status, double freeBytes, double totalBytes)
{
    status.insert(QStringLiteral("machine"),
        QJsonObject { { QStringLiteral("work_dir"), QStringLiteral("/home/ada/.local/share/CodaLab/worker") },
            { QStringLiteral("disk_free_bytes"), freeBytes },
            { QStringLiteral("disk_total_bytes"), totalBytes } });
    return status;
}

} // namespace codalab::test
