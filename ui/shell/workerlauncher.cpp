// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/workerlauncher.h"

#include "common/desktopsettings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace codalab::ui {

QString WorkerLauncher::findWorkerProgram()
{
    return findProgram(QStringLiteral("codalab-worker"));
}

QString WorkerLauncher::findProgram(const QString &name)
{
    const QString beside = QCoreApplication::applicationDirPath() + QLatin1Char('/') + name;
    if (QFileInfo(beside).isExecutable()) {
        return beside;
    }
    return QStandardPaths::findExecutable(name);
}

QString WorkerLauncher::defaultLogPath(const QString &workerId)
{
    return stateLogPath(QStringLiteral("worker-") + workerId);
}

QString WorkerLauncher::stateLogPath(const QString &name)
{
    QString state = qEnvironmentVariable("XDG_STATE_HOME");
    if (state.isEmpty() || !QDir::isAbsolutePath(state)) {
        state = QDir::homePath() + QStringLiteral("/.local/state");
    }
    QString file = name;
    file.replace(QLatin1Char('/'), QLatin1Char('_'));
    return QDir::cleanPath(state) + QStringLiteral("/CodaLab/%1.log").arg(file);
}

QStringList WorkerLauncher::arguments(const DesktopSettings &settings, const Target &target)
{
    QStringList a;
    if (target.local) {
        a << QStringLiteral("--local");
        if (!target.localDataDir.isEmpty()) {
            a << QStringLiteral("--local-data-dir") << target.localDataDir;
        }
    } else {
        a << QStringLiteral("--server") << target.serverUrl;
    }
    a << QStringLiteral("--id") << target.workerId << QStringLiteral("--control-socket") << target.socketPath;
    a << QStringLiteral("--slots") << QString::number(settings.workerSlots());
    const auto add = [&a](const char *flag, const QString &value) {
        if (!value.isEmpty()) {
            a << QLatin1String(flag) << value;
        }
    };
    add("--work-dir", settings.workerWorkDir());
    add("--cpuset", settings.workerCpuset());
    add("--gpuset", settings.workerGpus().join(QLatin1Char(',')));
    add("--max-work-dir-size", settings.maxWorkDirSize());
    add("--max-image-cache-size", settings.maxImageCacheSize());
    add("--tag", settings.workerTag());
    if (settings.workerTagExclusive() && !settings.workerTag().isEmpty()) {
        a << QStringLiteral("--tag-exclusive");
    }
    a << target.extraArguments;
    return a;
}

bool WorkerLauncher::start(const QString &program, const QStringList &arguments,
    const QProcessEnvironment &environment, const QString &logPath, qint64 *pid, QString *error)
{
    if (program.isEmpty() || !QFileInfo(program).isExecutable()) {
        *error
            = QCoreApplication::translate(
                "WorkerLauncher", "%1 is not installed (looked beside this program and on PATH)")
                  .arg(program.isEmpty() ? QStringLiteral("codalab-worker") : QFileInfo(program).fileName());
        return false;
    }
    QDir().mkpath(QFileInfo(logPath).absolutePath());
    if (QFileInfo(logPath).size() > 20 * 1024 * 1024) {
        QFile::remove(logPath + QStringLiteral(".1"));
        QFile::rename(logPath, logPath + QStringLiteral(".1"));
    }
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(logPath, QIODevice::Append);
    process.setStandardErrorFile(logPath, QIODevice::Append);
    process.setWorkingDirectory(QDir::homePath());
    if (!process.startDetached(pid)) {
        *error = QCoreApplication::translate("WorkerLauncher", "Cannot start %1: %2")
                     .arg(program, process.errorString());
        return false;
    }
    return true;
}

} // namespace codalab::ui
