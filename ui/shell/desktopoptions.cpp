// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/desktopoptions.h"

#include "localserver/localserverconfig.h"
#include "shell/workerlauncher.h"
#include "shell/workerservice.h"
#include "worker/controlserver.h"

#include <QSettings>
#include <QSysInfo>

namespace codalab::ui {

DesktopOptions DesktopOptions::withDefaults(QSettings *settings) const
{
    DesktopOptions o = *this;
    if (o.workerId.isEmpty()) {
        o.workerId = settings->value(QStringLiteral("worker/id"), QSysInfo::machineHostName()).toString();
    }
    if (o.workerSocket.isEmpty()) {
        o.workerSocket = worker::ControlServer::defaultSocketPath(o.workerId);
    }
    if (o.workerProgram.isEmpty()) {
        o.workerProgram = WorkerLauncher::findWorkerProgram();
    }
    if (o.workerLog.isEmpty()) {
        o.workerLog = WorkerLauncher::defaultLogPath(o.workerId);
    }
    if (o.localDataDir.isEmpty()) {
        o.localDataDir = localserver::LocalServerConfig::defaultDataDir();
    }
    if (o.systemdConfigDirs.isEmpty()) {
        o.systemdConfigDirs = WorkerService::defaultConfigDirs();
    }
    return o;
}

} // namespace codalab::ui
