// SPDX-License-Identifier: GPL-3.0-or-later
// Worker statuses for the model tests, shaped as core/worker/workerstatus.cpp builds them (the keys a
// real status has; values chosen so each cell has one expected text).
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace codalab::test::dashboard {

inline const QString RunA = QStringLiteral("0x1234abcd000000000000000000000001");
inline const QString RunB = QStringLiteral("0x5678ef01000000000000000000000002");
inline const QString RunC = QStringLiteral("0x9abc2345000000000000000000000003");
inline const QString Gpu0 = QStringLiteral("GPU-5c3d8b0e-1f2a-4b6c-9d7e-0a1b2c3d4e5f");
inline const QString Gpu1 = QStringLiteral("GPU-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b");

inline QJsonObject gpu(const QString &uuid, int index)
{
    return { { QStringLiteral("uuid"), uuid }, { QStringLiteral("index"), index },
        { QStringLiteral("name"), QStringLiteral("NVIDIA H100 80GB HBM3") },
        { QStringLiteral("memory_total_mib"), 81559 }, { QStringLiteral("memory_used_mib"), 1024 },
        { QStringLiteral("utilization_percent"), 37 },
        { QStringLiteral("driver_version"), QStringLiteral("550.54.15") },
        { QStringLiteral("enabled"), true } };
}

/// A run as the status lists it: running in a container for 723 s of its hour, 45 % CPU, 1.2 GiB of 2 GiB.
inline QJsonObject run(const QString &uuid, const QString &stage = QStringLiteral("RUN_STAGE.RUNNING"),
    const QString &containerId = QStringLiteral("c0ffee"))
{
    return { { QStringLiteral("uuid"), uuid }, { QStringLiteral("stage"), stage },
        { QStringLiteral("state"), QStringLiteral("running") },
        { QStringLiteral("run_status"), QStringLiteral("Running job in container.") },
        { QStringLiteral("command"), QStringLiteral("python train.py\n--epochs 3") },
        { QStringLiteral("owner_id"), QStringLiteral("0") }, { QStringLiteral("container_id"), containerId },
        { QStringLiteral("image"), QStringLiteral("codalab/default-cpu:latest") },
        { QStringLiteral("image_digest"), QStringLiteral("sha256:abc") },
        { QStringLiteral("cpuset"), QJsonArray { 0, 1, 2, 3 } },
        { QStringLiteral("gpuset"), QJsonArray { Gpu0 } }, { QStringLiteral("container_time_total"), 723.4 },
        { QStringLiteral("time_limit"), 3600 }, { QStringLiteral("cpu_usage"), 0.449 },
        { QStringLiteral("memory_usage"), 0.6 }, { QStringLiteral("memory_bytes"), 1.2 * 1024 * 1024 * 1024 },
        { QStringLiteral("max_memory_bytes"), 1.5 * 1024 * 1024 * 1024 },
        { QStringLiteral("memory_limit"), 2.0 * 1024 * 1024 * 1024 }, { QStringLiteral("killed"), false },
        { QStringLiteral("failure_message"), QString() },
        { QStringLiteral("run_dir"), QString(QStringLiteral("/work/runs/") + uuid) } };
}

inline QJsonObject slot(int index, const QJsonArray &cpus, const QJsonArray &gpus, const QString &runUuid)
{
    return { { QStringLiteral("index"), index }, { QStringLiteral("cpuset"), cpus },
        { QStringLiteral("gpuset"), gpus },
        { QStringLiteral("run"), runUuid.isEmpty() ? QJsonValue() : QJsonValue(runUuid) } };
}

/// Two slots: RunA in slot 0 on CPUs 0-3 and GPU 0, slot 1 idle.
inline QJsonObject status()
{
    return { { QStringLiteral("worker_id"), QStringLiteral("lab-box") },
        { QStringLiteral("availability"), QStringLiteral("available") },
        { QStringLiteral("server"),
            QJsonObject { { QStringLiteral("connected"), true }, { QStringLiteral("last_checkin"), 1.7e9 },
                { QStringLiteral("last_error"), QString() } } },
        { QStringLiteral("slot_count"), 2 },
        { QStringLiteral("slots"),
            QJsonArray { slot(0, { 0, 1, 2, 3 }, { Gpu0 }, RunA), slot(1, {}, {}, QString()) } },
        { QStringLiteral("gpus"), QJsonArray { gpu(Gpu0, 0), gpu(Gpu1, 1) } },
        { QStringLiteral("runs"), QJsonArray { run(RunA) } } };
}

} // namespace codalab::test::dashboard
