// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/workersupervisor.h"

#include "common/desktopsettings.h"
#include "common/workerlink.h"
#include "shell/workerservice.h"

#include <QJsonObject>

namespace codalab::ui {

WorkerSupervisor::WorkerSupervisor(WorkerLink *link, DesktopSettings *settings, QString program,
    QString logPath, WorkerService *service, QObject *parent)
    : QObject(parent)
    , m_link(link)
    , m_service(service)
    , m_settings(settings)
    , m_program(std::move(program))
    , m_logPath(std::move(logPath))
{
    m_grace.setSingleShot(true);
    m_grace.setInterval(1500);
    connect(&m_grace, &QTimer::timeout, this, &WorkerSupervisor::launchIfSilent);
    connect(m_link, &WorkerLink::connectionChanged, this, [this](bool connected) {
        if (!connected && m_restarting) {
            m_restarting = false;
            launch();
        }
    });
    if (m_service) {
        connect(m_service, &WorkerService::finished, this, [this](bool ok, const QString &message) {
            if (!ok) {
                Q_EMIT launchFailed(message);
                return;
            }
            m_link->setSocketPath(m_target.socketPath);
            Q_EMIT serviceStarted();
        });
    }
}

void WorkerSupervisor::setTarget(const WorkerLauncher::Target &target, const QProcessEnvironment &environment)
{
    m_target = target;
    m_environment = environment;
}

void WorkerSupervisor::ensureRunning()
{
    if (m_link->socketPath() != m_target.socketPath) {
        m_link->setSocketPath(m_target.socketPath);
    }
    m_grace.start();
}

void WorkerSupervisor::startNow()
{
    if (m_link->socketPath() != m_target.socketPath) {
        m_link->setSocketPath(m_target.socketPath);
    }
    if (!m_link->isConnected()) {
        launch();
    }
}

void WorkerSupervisor::launchIfSilent()
{
    if (m_link->isConnected() || !m_settings->manageWorker()) {
        return;
    }
    launch();
}

bool WorkerSupervisor::serviceEnabled() const
{
    return m_service && m_service->isEnabled();
}

void WorkerSupervisor::restart()
{
    if (serviceEnabled()) {
        // systemd stops it with SIGTERM (its runs go on in their containers) and starts it again.
        m_service->restart();
        return;
    }
    if (!m_link->isConnected()) {
        launch();
        return;
    }
    m_restarting = true;
    m_link->call(QStringLiteral("stop"), QJsonObject { { QStringLiteral("giveBack"), false } }, this,
        [this](const QJsonValue &, int code, const QString &error) {
            if (code != 0) {
                m_restarting = false;
                Q_EMIT launchFailed(tr("Cannot stop the worker to restart it: %1").arg(error));
            }
        });
}

void WorkerSupervisor::launch()
{
    if (serviceEnabled()) {
        m_service->start(); // a no-op for systemd when it already runs and merely did not answer yet
        return;
    }
    qint64 pid = 0;
    QString error;
    if (!WorkerLauncher::start(m_program, WorkerLauncher::arguments(*m_settings, m_target), m_environment,
            m_logPath, &pid, &error)) {
        Q_EMIT launchFailed(error);
        return;
    }
    // The link retries on its own; ask at once so the window fills as soon as the socket exists.
    m_link->setSocketPath(m_target.socketPath);
    Q_EMIT launched(pid);
}

} // namespace codalab::ui
