// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/workerservice.h"

#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QProcess>
#include <QStandardPaths>

namespace codalab::ui {

WorkerService::WorkerService(QStringList configDirs, QString systemctl, QObject *parent)
    : QObject(parent)
    , m_configDirs(std::move(configDirs))
    , m_systemctl(std::move(systemctl))
{ }

namespace {
/// $XDG_CONFIG_HOME, or ~/.config when it is unset or relative: what systemd's %E is for a user unit.
QString configHome()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
}
} // namespace

QStringList WorkerService::defaultConfigDirs()
{
    return { configHome() + QStringLiteral("/systemd/user"), QStringLiteral("/etc/systemd/user") };
}

QString WorkerService::environmentFile()
{
    // %E/CodaLab/worker.env in installer/codalab-worker.service.in; %E is $XDG_CONFIG_HOME for user units.
    return configHome() + QStringLiteral("/CodaLab/worker.env");
}

bool WorkerService::isEnabled() const
{
    // `systemctl enable` links the unit into the .wants directory of each target in its [Install] section
    // (default.target for ours, but a user may have picked another); reading the links costs no process.
    for (const QString &dir : m_configDirs) {
        const QStringList wants
            = QDir(dir).entryList({ QStringLiteral("*.wants") }, QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &want : wants) {
            // A link to a unit this process cannot read still counts: systemd reads it, not us.
            const QFileInfo link(dir + QLatin1Char('/') + want + QLatin1Char('/') + m_unit);
            if (link.exists() || link.isSymLink()) {
                return true;
            }
        }
    }
    return false;
}

void WorkerService::start()
{
    run(QStringLiteral("start"));
}

void WorkerService::restart()
{
    run(QStringLiteral("restart"));
}

void WorkerService::run(const QString &verb)
{
    auto *process = new QProcess(this);
    process->setProgram(m_systemctl);
    process->setArguments({ QStringLiteral("--user"), verb, m_unit });
    connect(process, &QProcess::finished, this, [this, process](int code, QProcess::ExitStatus status) {
        process->deleteLater();
        if (status == QProcess::NormalExit && code == 0) {
            Q_EMIT finished(true, {});
            return;
        }
        QString message = QString::fromLocal8Bit(process->readAllStandardError()).trimmed();
        if (message.isEmpty()) {
            message = tr("systemctl --user %1 %2 failed (exit %3)")
                          .arg(process->arguments().at(1), m_unit)
                          .arg(code);
        }
        Q_EMIT finished(false, message);
    });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            process->deleteLater();
            Q_EMIT finished(false, tr("Cannot run %1: %2").arg(m_systemctl, process->errorString()));
        }
    });
    process->start();
}

bool WorkerService::explainFlags(QWidget *parent, const QString &applied) const
{
    if (!isEnabled()) {
        return false;
    }
    // Restarting the service would not apply anything: systemd starts the worker with the unit's flags.
    auto *box = new QMessageBox(QMessageBox::Information, tr("The worker runs as a service"),
        tr("Your worker runs as the systemd user service %1, which starts it with its own flags, not with "
           "these settings.")
            .arg(QLatin1String(UnitName)),
        QMessageBox::Ok, parent);
    box->setInformativeText(
        tr("Put the flags in %1 as CODALAB_WORKER_ARGS=…, then run\n"
           "systemctl --user restart codalab-worker%2")
            .arg(environmentFile(), applied.isEmpty() ? QString() : QStringLiteral("\n\n") + applied));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->open();
    return true;
}

} // namespace codalab::ui
