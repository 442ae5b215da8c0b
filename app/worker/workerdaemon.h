// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "workercommandline.h"

#include <QObject>

#include <memory>

class QNetworkAccessManager;
class QSocketNotifier;
namespace codalab::docker {
class DockerClient;
}
namespace codalab::localserver {
class LocalServer;
}
namespace codalab::server {
class ServerConnection;
class TokenManager;
} // namespace codalab::server
namespace codalab::worker {
class Worker;
class WorkerControl;
} // namespace codalab::worker

/// The wiring of `codalab-worker` in its main mode: the embedded local server (--local), credentials,
/// GPU discovery for --gpuset, the first login, Docker, the Worker, its control socket and the signals.
/// Exit codes: 0 done, 1 credentials, login or control socket, 3 Docker unusable, 4 server unreachable.
class WorkerDaemon : public QObject
{
    Q_OBJECT
public:
    explicit WorkerDaemon(WorkerCommandLine commandLine, QObject *parent = nullptr);
    ~WorkerDaemon() override;

    void start();

Q_SIGNALS:
    void exit(int code);

private:
    void fail(int code, const QString &message);
    bool loadCredentials(QString *username, QString *password);
    void resolveResources();
    void login(const QString &username, const QString &password);
    void startWorker();
    void installSignalHandlers();
    void onSignal();

    WorkerCommandLine m_cl;
    std::unique_ptr<codalab::localserver::LocalServer> m_localServer;
    QNetworkAccessManager *m_nam;
    codalab::server::ServerConnection *m_connection;
    codalab::server::TokenManager *m_tokens = nullptr;
    codalab::docker::DockerClient *m_docker = nullptr;
    codalab::worker::Worker *m_worker = nullptr;
    codalab::worker::WorkerControl *m_control = nullptr;
    QSocketNotifier *m_signalNotifier = nullptr;
    int m_signals = 0;
};
