// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/resourcemonitor.h"

#include "system/gpuprocessprobe.h"
#include "system/machinehistory.h"
#include "system/machineprobe.h"
#include "util/logging.h"
#include "worker/run.h"
#include "worker/worker.h"

#include <QDateTime>

namespace codalab::worker {

namespace {
constexpr int MachineSampleIntervalMs = 10000; // the worker's machine probe interval
constexpr qint64 MiB = 1024 * 1024;
} // namespace

ResourceMonitor::ResourceMonitor(Worker *worker, QString nvidiaSmi)
    : QObject(worker)
    , m_worker(worker)
    , m_machine(new system::MachineHistory(MachineSampleIntervalMs, QStringLiteral("/proc"), this))
    , m_gpus(new system::GpuProcessProbe(std::move(nvidiaSmi), QStringLiteral("/proc"), this))
    , m_store(worker->config().workDir + QStringLiteral("/history"))
{
    connect(worker->machineProbe(), &system::MachineProbe::finished, m_machine,
        [this](const system::MachineSpecs &specs) {
            m_machine->record(specs, QDateTime::currentMSecsSinceEpoch());
        });
    connect(m_machine, &system::MachineHistory::sampled, this, &ResourceMonitor::machineSampled);
    connect(worker, &Worker::runAdded, this, &ResourceMonitor::watch);
    connect(worker, &Worker::runEnded, this, &ResourceMonitor::keep);
    connect(m_gpus, &system::GpuProcessProbe::finished, this, &ResourceMonitor::applyGpuUse);
    m_gpuTimer.setInterval(worker->config().statsIntervalMs);
    connect(&m_gpuTimer, &QTimer::timeout, this, &ResourceMonitor::probeGpus);
    connect(worker, &Worker::started, &m_gpuTimer, qOverload<>(&QTimer::start));
}

ResourceMonitor::~ResourceMonitor() = default;

void ResourceMonitor::watch(Run *run)
{
    connect(run, &Run::sampled, this, [this, run](const ResourceHistory::Sample &sample) {
        Q_EMIT runSampled(run->uuid(), sample.toJson());
    });
}

void ResourceMonitor::keep(Run *run)
{
    // The run is leaving the worker: its history goes to a file, once.
    QString error;
    if (!m_store.save(RunHistoryStore::document(run->record(), true), &error)) {
        qCWarning(lcWorker).noquote() << "cannot keep the resource history:" << error;
    }
}

QJsonObject ResourceMonitor::runHistory(const QString &uuid, ControlError *error) const
{
    if (const Run *run = m_worker->run(uuid)) {
        const bool containerDone = run->stage() != RunStage::Preparing && run->stage() != RunStage::Running;
        return RunHistoryStore::document(run->record(), containerDone);
    }
    QString why;
    if (const auto saved = m_store.load(uuid, &why)) {
        return *saved;
    }
    if (!why.isEmpty()) {
        qCWarning(lcWorker).noquote() << why;
    }
    *error = ControlError::make(1, QStringLiteral("no resource history for run %1").arg(uuid));
    return {};
}

void ResourceMonitor::probeGpus()
{
    // nvidia-smi costs a process (pmon samples for a while): only with GPUs found and a run to attribute to.
    if (m_gpus->isRunning() || m_worker->machine().gpus.isEmpty()) {
        return;
    }
    const QList<Run *> runs = m_worker->runs();
    if (std::none_of(runs.begin(), runs.end(), [](Run *r) { return r->stage() == RunStage::Running; })) {
        return;
    }
    m_gpus->start();
}

qint64 ResourceMonitor::gpuMemoryTotal(const QStringList &gpuUuids) const
{
    qint64 total = 0;
    for (const system::GpuInfo &g : m_worker->machine().gpus) {
        if (gpuUuids.contains(g.uuid) && g.memoryTotalMiB > 0) {
            total += g.memoryTotalMiB * MiB;
        }
    }
    return total;
}

void ResourceMonitor::applyGpuUse(
    const QList<system::GpuProcess> &processes, const QString &error, const QStringList &warnings)
{
    const QString warning
        = (error.isEmpty() ? warnings : QStringList { error } + warnings).join(QLatin1Char('\n'));
    if (warning != m_lastGpuWarning && !warning.isEmpty()) {
        qCWarning(lcWorker).noquote() << "GPU use per run:" << warning; // once, not every interval
    }
    m_lastGpuWarning = warning;
    const auto uses = system::GpuProcessProbe::perContainer(processes);
    for (Run *run : m_worker->runs()) {
        const RunRecord &r = run->record();
        if (r.stage != RunStage::Running || r.containerId.isEmpty()) {
            continue;
        }
        QStringList gpus = r.allocation ? r.allocation->gpuUuids : QStringList();
        if (!error.isEmpty()) {
            run->setGpuUse(-1, -1, gpuMemoryTotal(gpus));
            continue;
        }
        // No process of the container on a GPU: it uses none, which is known (unless pmon failed).
        const auto use = uses.constFind(r.containerId);
        if (use == uses.cend()) {
            run->setGpuUse(0, m_gpus->utilizationKnown() ? 0 : -1, gpuMemoryTotal(gpus));
            continue;
        }
        for (const QString &g : use->gpuUuids) {
            if (!gpus.contains(g)) {
                gpus << g;
            }
        }
        run->setGpuUse(use->memoryBytes, use->utilizationPercent, gpuMemoryTotal(gpus));
    }
}

} // namespace codalab::worker
