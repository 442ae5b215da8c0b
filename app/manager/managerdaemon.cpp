// SPDX-License-Identifier: GPL-3.0-or-later
#include "managerdaemon.h"

#include "cluster/slurmclient.h"
#include "cluster/workermanager.h"
#include "secrets/credentials.h"
#include "secrets/passwordfile.h"
#include "server/codalabclient.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "worker/controlerror.h"
#include "worker/controlserver.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QTextStream>

using namespace codalab;

ManagerDaemon::ManagerDaemon(ManagerCommandLine commandLine, QObject *parent)
    : QObject(parent)
    , m_cl(std::move(commandLine))
    , m_nam(new QNetworkAccessManager(this))
    , m_connection(new server::ServerConnection(m_nam, this))
{ }

void ManagerDaemon::fail(int code, const QString &message)
{
    QTextStream(stderr) << "codalab-worker-manager: " << message << '\n';
    Q_EMIT exit(code);
}

void ManagerDaemon::start()
{
    QString error;
    if (!m_connection->setServerUrl(m_cl.config.serverUrl, &error)) {
        fail(2, error);
        return;
    }
    secrets::Credentials credentials = secrets::Credentials::fromEnvironment();
    if (!m_cl.config.passwordFile.isEmpty()) {
        secrets::PasswordFile file(m_cl.config.passwordFile);
        if (!file.load()) {
            fail(1, file.errorString());
            return;
        }
        credentials = file.credentials();
    }
    if (!credentials.isComplete()) {
        fail(1,
            QStringLiteral(
                "no credentials: give --password-file FILE (user name, then password; mode 0600) or set "
                "CODALAB_USERNAME and CODALAB_PASSWORD"));
        return;
    }
    // Upstream's manager serves every user's runs when it runs as the user "codalab", whose workers serve
    // all.
    m_cl.config.searchAllUsers
        = m_cl.config.searchAllUsers || credentials.username == QLatin1String("codalab");
    // The workers' client id, as upstream's servers know it: one token per client and user, so a `cl` or
    // desktop session of the same user keeps its own, and the manager logs in again when a job's worker took
    // this one.
    m_tokens = new server::TokenManager(
        m_connection, QStringLiteral("codalab_worker_client"), server::TokenManager::Mode::Relogin, this);
    m_tokens->setCredentials(credentials.username, credentials.password);
    m_connection->setTokenManager(m_tokens);
    m_tokens->withToken(this, [this](const QString &, const server::ApiError &error) {
        if (error.kind == server::ApiError::Kind::Authentication
            || error.kind == server::ApiError::Kind::Client) {
            fail(1, QStringLiteral("cannot log into %1: %2").arg(m_cl.config.serverUrl, error.message));
        } else if (error) {
            fail(4,
                QStringLiteral("cannot reach the CodaLab server at %1: %2")
                    .arg(m_cl.config.serverUrl, error.message));
        } else {
            startManager();
        }
    });
}

void ManagerDaemon::startManager()
{
    auto *slurm = new cluster::SlurmClient(m_cl.config.sshHost, this);
    m_manager
        = new cluster::WorkerManager(m_cl.config, new server::CodaLabClient(m_connection, this), slurm, this);
    m_control = new worker::ControlServer(
        m_cl.controlSocket,
        [this](const QString &method, const QJsonValue &, worker::ControlError *error) -> QJsonValue {
            if (method == QLatin1String("status")) {
                return m_manager->status();
            }
            if (method == QLatin1String("pause")) {
                m_manager->pause();
            } else if (method == QLatin1String("resume")) {
                m_manager->resume();
            } else if (method == QLatin1String("stop")) {
                m_manager->stop();
            } else {
                *error = worker::ControlError::methodNotFound(method);
                return {};
            }
            return m_manager->status();
        },
        this);
    QString error;
    if (!m_control->listen(&error)) {
        fail(1, error);
        return;
    }
    connect(m_manager, &cluster::WorkerManager::message, this, [](const QString &text) {
        QTextStream(stdout) << QDateTime::currentDateTime().toString(Qt::ISODate) << ' ' << text << Qt::endl;
    });
    connect(m_manager, &cluster::WorkerManager::statusChanged, this,
        [this] { m_control->publish(QStringLiteral("status"), m_manager->status()); });
    connect(m_manager, &cluster::WorkerManager::finished, this, [this] { Q_EMIT exit(0); });
    QTextStream(stdout) << "codalab-worker-manager: serving tag " << m_cl.config.tag << " of "
                        << m_cl.config.serverUrl << " with Slurm"
                        << (m_cl.config.sshHost.isEmpty() ? QString()
                                                          : QStringLiteral(" on ") + m_cl.config.sshHost)
                        << "; at most " << m_cl.config.maxWorkers << " jobs; control socket "
                        << m_control->socketPath() << Qt::endl;
    m_manager->start();
}
