// SPDX-License-Identifier: GPL-3.0-or-later
#include "gpureport.h"

#include "system/gpuprobe.h"
#include "system/gpuprocessprobe.h"
#include "worker/runcontainer.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

using namespace codalab;

namespace {

QString figure(qint64 value, const char *unit)
{
    return value < 0 ? QStringLiteral("?") : QString::number(value) + QLatin1String(unit);
}

/// The DeviceRequests of the container spec the worker builds for a run given `gpu`.
QByteArray deviceRequestsFor(const QString &gpu)
{
    worker::RunRecord run;
    run.uuid = QStringLiteral("0x") + QString(32, QLatin1Char('0'));
    run.resources.gpus = 1;
    run.resources.dockerImage = QStringLiteral("codalab/default-gpu:latest");
    run.allocation = worker::Allocation { { 0 }, { gpu } };
    const docker::ContainerSpec spec
        = worker::RunContainer::spec(run, worker::WorkerConfig(), { QStringLiteral("/run-dir"), {}, {} });
    const QJsonValue requests = spec.toCreateBody()
                                    .value(QLatin1String("HostConfig"))
                                    .toObject()
                                    .value(QLatin1String("DeviceRequests"));
    return QJsonDocument(requests.toArray()).toJson(QJsonDocument::Compact);
}

} // namespace

int GpuReport::run()
{
    QTextStream out(stdout);
    int exitCode = 0;
    system::GpuProbe gpus;
    system::GpuProcessProbe processes;
    if (processes.programPath().isEmpty()) {
        out << "No nvidia-smi on PATH: this machine offers no NVIDIA GPUs to runs.\n";
        return 0;
    }
    QObject::connect(
        &gpus, &system::GpuProbe::finished, [&](const QList<system::GpuInfo> &found, const QString &warning) {
            out << "GPUs (nvidia-smi --query-gpu=" << system::GpuInfo::queryFields() << "):\n";
            for (const system::GpuInfo &g : found) {
                out << "  " << g.index << "  " << g.uuid << "  " << g.name << "  memory "
                    << figure(g.memoryUsedMiB, "") << " / " << figure(g.memoryTotalMiB, " MiB") << "  busy "
                    << figure(g.utilizationPercent, " %") << "  driver " << g.driverVersion << '\n';
            }
            if (found.isEmpty()) {
                out << "  (none)\n";
            }
            if (!warning.isEmpty()) {
                out << "PROBLEM: " << warning << '\n';
                exitCode = 1;
            }
            if (!found.isEmpty()) {
                out << "DeviceRequests of a run given 1 GPU: " << deviceRequestsFor(found.first().uuid)
                    << '\n';
            }
            out.flush();
            processes.start();
        });
    QObject::connect(&processes, &system::GpuProcessProbe::finished,
        [&](const QList<system::GpuProcess> &found, const QString &error, const QStringList &warnings) {
            out << "GPU processes (--query-compute-apps, pmon) and their containers:\n";
            for (const system::GpuProcess &p : found) {
                out << "  pid " << p.pid << "  "
                    << (p.gpuUuids.isEmpty() ? QStringLiteral("?") : p.gpuUuids.join(QLatin1Char(',')))
                    << "  memory " << figure(p.memoryBytes < 0 ? -1 : p.memoryBytes / (1024 * 1024), " MiB")
                    << "  SM " << figure(p.smPercent, " %") << "  "
                    << (p.containerId.isEmpty() ? QStringLiteral("not in a container")
                                                : QStringLiteral("container ") + p.containerId.left(12))
                    << '\n';
            }
            if (found.isEmpty() && error.isEmpty()) {
                out << "  (none)\n";
            }
            for (const QString &problem :
                (error.isEmpty() ? QStringList() : QStringList { error }) + warnings) {
                out << "PROBLEM: " << problem << '\n';
                exitCode = 1;
            }
            out << (exitCode == 0 ? "The worker's parsers accept this nvidia-smi's output.\n"
                                  : "The worker could not read all of nvidia-smi's output (see above).\n");
            out.flush();
            QCoreApplication::quit();
        });
    gpus.start();
    QCoreApplication::exec();
    return exitCode;
}
