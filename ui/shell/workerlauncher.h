// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace codalab::ui {

class DesktopSettings;

/// Starts the codalab-worker daemon for the desktop, detached, so that it keeps running when the window
/// quits, crashes or is upgraded (as the BOINC client outlives BOINC Manager). Its output goes to a log file
/// the Logs page can show.
class WorkerLauncher
{
public:
    /// Where and for whom the worker works.
    struct Target
    {
        QString workerId; ///< --id (the desktop uses the host name, as codalab-worker does by default)
        QString socketPath; ///< --control-socket
        bool local = true; ///< --local: the embedded codalab-local-server
        QString localDataDir; ///< --local-data-dir
        QString serverUrl; ///< --server, when not local
        QStringList extraArguments; ///< e.g. --no-network in tests
    };

    /// codalab-worker next to this executable, else on PATH; empty when neither.
    static QString findWorkerProgram();
    /// $XDG_STATE_HOME/CodaLab/worker-<id>.log (default ~/.local/state/...).
    static QString defaultLogPath(const QString &workerId);
    /// $XDG_STATE_HOME/CodaLab/<name>.log, '/' in the name made '_' (the worker's and the managers' logs).
    static QString stateLogPath(const QString &name);
    /// `name` beside this executable, else on PATH; empty when neither.
    static QString findProgram(const QString &name);
    /// The flags for `target` and the worker settings the user chose.
    static QStringList arguments(const DesktopSettings &settings, const Target &target);

    /// Starts `program` detached with `arguments`, its output appended to `logPath` (rotated once it passes
    /// 20 MiB). `environment` carries CODALAB_USERNAME/CODALAB_PASSWORD for a remote server: never a flag,
    /// which any user could read in `ps`. Returns false with *error when it cannot start.
    static bool start(const QString &program, const QStringList &arguments,
        const QProcessEnvironment &environment, const QString &logPath, qint64 *pid, QString *error);
};

} // namespace codalab::ui
