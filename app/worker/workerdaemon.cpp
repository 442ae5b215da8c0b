// SPDX-License-Identifier: GPL-3.0-or-later
#include "workerdaemon.h"

#include "docker/dockerclient.h"
#include "localserver/localserver.h"
#include "localserver/workerhub.h"
#include "secrets/credentials.h"
#include "secrets/passwordfile.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "system/gpuprobe.h"
#include "system/machinespecs.h"
#include "util/logging.h"
#include "worker/controlserver.h"
#include "worker/resourceallocator.h"
#include "worker/worker.h"
#include "worker/workercontrol.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace codalab;

namespace {
int signalPipe[2] = { -1, -1 };

void onUnixSignal(int)
{
    const char byte = 1;
    // Only async-signal-safe calls here; the event loop does the rest.
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}
} // namespace

WorkerDaemon::WorkerDaemon(WorkerCommandLine commandLine, QObject *parent)
    : QObject(parent)
    , m_cl(std::move(commandLine))
    , m_nam(new QNetworkAccessManager(this))
    , m_connection(new server::ServerConnection(m_nam, this))
{ }

WorkerDaemon::~WorkerDaemon() = default;

void WorkerDaemon::fail(int code, const QString &message)
{
    QTextStream(stderr) << "codalab-worker: " << message << '\n';
    Q_EMIT exit(code);
}

void WorkerDaemon::start()
{
    installSignalHandlers();
    if (m_cl.local) {
        localserver::LocalServerConfig config;
        config.dataDir = m_cl.localDataDir.isEmpty() ? localserver::LocalServerConfig::defaultDataDir()
                                                     : m_cl.localDataDir;
        config.port = m_cl.localPort;
        m_localServer = std::make_unique<localserver::LocalServer>(config);
        QString error;
        if (!m_localServer->start(&error)) {
            fail(1, QStringLiteral("cannot start the local server: %1").arg(error));
            return;
        }
        m_cl.serverUrl = m_localServer->url();
        m_cl.passwordFile = m_localServer->passwordFile();
        QTextStream(stdout) << "Local CodaLab server at " << m_cl.serverUrl << " (data in " << config.dataDir
                            << "; user codalab, password in " << m_cl.passwordFile << ")\n";
    }
    QString error;
    if (!m_connection->setServerUrl(m_cl.serverUrl, &error)) {
        fail(2, error);
        return;
    }
    QString username;
    QString password;
    if (!loadCredentials(&username, &password)) {
        return;
    }
    // --gpuset names GPUs by index or UUID, which only nvidia-smi knows.
    auto *probe = new system::GpuProbe(QStringLiteral("nvidia-smi"), this);
    connect(probe, &system::GpuProbe::finished, this,
        [this, probe, username, password](const QList<system::GpuInfo> &gpus, const QString &warning) {
            probe->deleteLater();
            if (!warning.isEmpty()) {
                qCInfo(lcWorker).noquote() << "GPUs:" << warning;
            }
            QString why;
            const auto cpuset = worker::ResourceAllocator::parseCpuset(
                m_cl.cpusetSpec, system::MachineSpecs::affinityCpus(), &why);
            if (!cpuset) {
                fail(2, QStringLiteral("--cpuset: %1").arg(why));
                return;
            }
            const auto gpuset = worker::ResourceAllocator::parseGpuset(m_cl.gpusetSpec, gpus, &why);
            if (!gpuset) {
                fail(2, QStringLiteral("--gpuset: %1").arg(why));
                return;
            }
            m_cl.config.cpuset = *cpuset;
            m_cl.config.gpuUuids = *gpuset;
            login(username, password);
        });
    probe->start();
}

bool WorkerDaemon::loadCredentials(QString *username, QString *password)
{
    secrets::Credentials credentials;
    if (!m_cl.passwordFile.isEmpty()) {
        secrets::PasswordFile file(m_cl.passwordFile);
        if (!file.load()) {
            fail(1, file.errorString());
            return false;
        }
        credentials = file.credentials();
    } else {
        credentials = secrets::Credentials::fromEnvironment();
    }
    if (!credentials.isComplete()) {
        fail(1,
            QStringLiteral("no credentials: give --password-file FILE (user name, then password; mode 0600) "
                           "or set CODALAB_USERNAME and CODALAB_PASSWORD"));
        return false;
    }
    *username = credentials.username;
    *password = credentials.password;
    return true;
}

void WorkerDaemon::login(const QString &username, const QString &password)
{
    // The worker's own client id, so a GUI logged in as the same user never invalidates its token (§8).
    m_tokens = new server::TokenManager(
        m_connection, QStringLiteral("codalab_worker_client"), server::TokenManager::Mode::Relogin, this);
    m_tokens->setCredentials(username, password);
    m_connection->setTokenManager(m_tokens);
    if (!m_cl.passwordFile.isEmpty()) {
        // The password may have changed under us (codalab-local-server --set-password rewrites the file): a
        // refused login reads the file again, so the next one uses what it says now.
        connect(m_tokens, &server::TokenManager::authenticationFailed, this, [this] {
            secrets::PasswordFile file(m_cl.passwordFile);
            if (file.load() && file.credentials().isComplete()) {
                m_tokens->setCredentials(file.credentials().username, file.credentials().password);
            }
        });
    }
    m_tokens->withToken(this, [this](const QString &, const server::ApiError &error) {
        if (error.kind == server::ApiError::Kind::Authentication
            || error.kind == server::ApiError::Kind::Client) {
            fail(1,
                QStringLiteral("Cannot log into the bundle service at %1: %2")
                    .arg(m_cl.serverUrl, error.message));
        } else if (error) {
            fail(4,
                QStringLiteral("cannot reach the CodaLab server at %1: %2")
                    .arg(m_cl.serverUrl, error.message));
        } else {
            startWorker();
        }
    });
}

void WorkerDaemon::startWorker()
{
    m_docker = new docker::DockerClient(docker::DockerEndpoint::fromEnvironment(), this);
    m_worker = new worker::Worker(m_cl.config, m_connection, m_docker, this);
    if (m_localServer) {
        localserver::WorkerHub *hub = m_localServer->workerHub();
        const QString id = m_cl.config.id;
        connect(m_worker, &worker::Worker::wantsCheckin, this, [hub, id] { hub->wake(id); });
    }
    m_control = new worker::WorkerControl(m_worker,
        m_cl.controlSocket.isEmpty() ? worker::ControlServer::defaultSocketPath(m_cl.config.id)
                                     : m_cl.controlSocket,
        this);
    QString error;
    if (!m_control->listen(&error)) {
        fail(1, QStringLiteral("control socket: %1").arg(error));
        return;
    }
    connect(m_worker, &worker::Worker::failed, this, [this](const QString &message) { fail(3, message); });
    connect(m_worker, &worker::Worker::finished, this, &WorkerDaemon::exit);
    connect(m_worker, &worker::Worker::started, this, [this] {
        QTextStream(stdout) << "Worker " << m_cl.config.id << " serving " << m_cl.serverUrl
                            << "; control socket " << m_control->socketPath() << '\n';
    });
    m_worker->start();
}

void WorkerDaemon::installSignalHandlers()
{
    if (::pipe2(signalPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        return;
    }
    m_signalNotifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, this);
    connect(m_signalNotifier, &QSocketNotifier::activated, this, &WorkerDaemon::onSignal);
    struct sigaction action = {};
    action.sa_handler = onUnixSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int s : { SIGTERM, SIGINT, SIGHUP }) {
        ::sigaction(s, &action, nullptr);
    }
}

void WorkerDaemon::onSignal()
{
    char buffer[16];
    while (::read(signalPipe[0], buffer, sizeof buffer) > 0) {
        ++m_signals;
    }
    if (!m_worker || m_signals > 1) {
        QTextStream(stderr) << "codalab-worker: stopping now\n";
        Q_EMIT exit(m_worker ? 1 : 0);
        return;
    }
    // Without --pass-down-termination containers keep running, to be picked up by the next start.
    m_worker->stop(m_cl.config.passDownTermination);
}
