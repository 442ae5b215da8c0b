// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

class QSettings;

namespace codalab::ui {

/// What the desktop needs to know about this machine; main() fills it with the defaults, tests with
/// temporary paths.
struct DesktopOptions
{
    QString workerId; ///< default: the host name, as codalab-worker's own default
    QString workerSocket; ///< default: ControlServer::defaultSocketPath(workerId)
    QString workerProgram; ///< default: WorkerLauncher::findWorkerProgram()
    QString managerProgram; ///< codalab-worker-manager; default: beside this program, else on PATH
    QString workerLog; ///< default: WorkerLauncher::defaultLogPath(workerId)
    QString localDataDir; ///< default: LocalServerConfig::defaultDataDir()
    QString autostartConfigHome; ///< default: $XDG_CONFIG_HOME
    QStringList systemdConfigDirs; ///< where an enabled codalab-worker.service is; default: WorkerService's
    QString systemctlProgram = QStringLiteral("systemctl");
    QStringList extraWorkerArguments; ///< tests: --no-network
    int workerGraceMs = 1500; ///< how long a silent control socket waits before a worker is started
    int localServerWaitMs = 60000; ///< how long to wait for the local server's URL file

    /// These options with every empty one filled in (the worker id from the settings, else the host name).
    DesktopOptions withDefaults(QSettings *settings) const;
};

} // namespace codalab::ui
