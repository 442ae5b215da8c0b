// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/workercontrol.h"

#include "system/machinehistory.h"
#include "system/machineprobe.h"
#include "worker/cachecleaner.h"
#include "worker/controlserver.h"
#include "worker/resourcemonitor.h"
#include "worker/run.h"
#include "worker/worker.h"
#include "worker/workerstatus.h"

#include <QJsonObject>

namespace codalab::worker {

WorkerControl::WorkerControl(Worker *worker, const QString &socketPath, QObject *parent)
    : QObject(parent)
    , m_worker(worker)
    , m_server(new ControlServer(
          socketPath,
          [this](const QString &method, const QJsonValue &params, ControlError *error) {
              return call(method, params, error);
          },
          this))
{
    connect(worker, &Worker::statusChanged, this,
        [this] { m_server->publish(QStringLiteral("status"), m_worker->status()); });
    // Said at once: a run's last stages can pass between two coalesced statuses, and the desktop's
    // "run finished" notification must not miss it.
    connect(worker, &Worker::runEnded, this,
        [this](Run *run) { m_server->publish(QStringLiteral("runEnded"), WorkerStatus::run(*run)); });
    // Each sample as it comes, so a chart appends live instead of polling the histories.
    connect(worker->resourceMonitor(), &ResourceMonitor::runSampled, this,
        [this](const QString &uuid, const QJsonObject &sample) {
            m_server->publish(QStringLiteral("runSample"),
                QJsonObject { { QStringLiteral("uuid"), uuid }, { QStringLiteral("sample"), sample } });
        });
    connect(
        worker->resourceMonitor(), &ResourceMonitor::machineSampled, this, [this](const QJsonObject &sample) {
            m_server->publish(
                QStringLiteral("machineSample"), QJsonObject { { QStringLiteral("sample"), sample } });
        });
}

WorkerControl::~WorkerControl() = default;

bool WorkerControl::listen(QString *error)
{
    return m_server->listen(error);
}

QString WorkerControl::socketPath() const
{
    return m_server->socketPath();
}

QJsonValue WorkerControl::call(const QString &method, const QJsonValue &params, ControlError *error)
{
    const QJsonObject p = params.toObject();
    if (method == QLatin1String("status")) {
        return m_worker->status();
    }
    if (method == QLatin1String("runHistory")) {
        return m_worker->resourceMonitor()->runHistory(p.value(QLatin1String("uuid")).toString(), error);
    }
    if (method == QLatin1String("machineHistory")) {
        return m_worker->resourceMonitor()->machineHistory().toJson();
    }
    if (method == QLatin1String("caches") || method == QLatin1String("cleanCaches")) {
        return CacheCleaner(m_worker->dependencyCache(), m_worker->imageCache()).call(method, params, error);
    }
    if (method == QLatin1String("pause")) {
        m_worker->pause();
    } else if (method == QLatin1String("resume")) {
        m_worker->resume();
    } else if (method == QLatin1String("drain")) {
        m_worker->drain();
    } else if (method == QLatin1String("snooze")) {
        const int seconds = p.value(QLatin1String("seconds")).toInt(-1);
        if (seconds <= 0) {
            *error = ControlError::invalidParams(QStringLiteral("snooze needs {\"seconds\": N} with N > 0"));
            return {};
        }
        m_worker->snooze(seconds);
    } else if (method == QLatin1String("stop")) {
        m_worker->stop(p.value(QLatin1String("giveBack")).toBool(false));
    } else if (method == QLatin1String("setSlots")) {
        const int slotCount = p.value(QLatin1String("slots")).toInt(-1);
        if (slotCount < 0 || slotCount > 1024) {
            *error = ControlError::invalidParams(
                QStringLiteral("setSlots needs {\"slots\": N} with 0 <= N <= 1024"));
            return {};
        }
        m_worker->setSlots(slotCount);
    } else if (method == QLatin1String("setGpuEnabled")) {
        if (!p.value(QLatin1String("enabled")).isBool()
            || !m_worker->setGpuEnabled(
                p.value(QLatin1String("uuid")).toString(), p.value(QLatin1String("enabled")).toBool())) {
            *error = ControlError::invalidParams(QStringLiteral(
                "setGpuEnabled needs {\"uuid\": one of this worker's GPUs, \"enabled\": bool}"));
            return {};
        }
    } else if (method == QLatin1String("probeMachine")) {
        m_worker->machineProbe()->start(); // the new figures come with the next `status` event
    } else if (method == QLatin1String("killRun")) {
        if (!m_worker->killRun(p.value(QLatin1String("uuid")).toString())) {
            *error = ControlError::make(1, QStringLiteral("no such run on this worker"));
            return {};
        }
    } else {
        *error = ControlError::methodNotFound(method);
        return {};
    }
    return true;
}

} // namespace codalab::worker
