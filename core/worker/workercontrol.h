// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/controlerror.h"

#include <QJsonValue>
#include <QObject>

namespace codalab::worker {

class ControlServer;
class Worker;

/// The worker's methods on its control socket: `status`, `pause`, `resume`, `snooze` {seconds}, `drain`,
/// `stop` {giveBack}, `setSlots` {slots}, `setGpuEnabled` {uuid, enabled}, `killRun` {uuid}; `caches` (every
/// dependency and image entry) and `cleanCaches` {dependencies, images} (removes what no run uses), both
/// described in CacheCleaner; `probeMachine`, which measures the machine now rather than at the next 10 s
/// probe (the figures come with the next `status` event); `runHistory` {uuid} and `machineHistory`, the
/// figures behind the resource charts (ResourceMonitor); and events pushed to subscribers: `status` whenever
/// the worker's status changes, `runSample` {uuid, sample} for each stats sample of a running run, and
/// `machineSample` {sample} for each machine sample.
class WorkerControl : public QObject
{
    Q_OBJECT
public:
    WorkerControl(Worker *worker, const QString &socketPath, QObject *parent = nullptr);
    ~WorkerControl() override;

    bool listen(QString *error);
    QString socketPath() const;
    /// One method call, as the socket runs it (tests call it directly too).
    QJsonValue call(const QString &method, const QJsonValue &params, ControlError *error);

private:
    Worker *m_worker;
    ControlServer *m_server;
};

} // namespace codalab::worker
