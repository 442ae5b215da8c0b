// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "managercommandline.h"

#include <QObject>

class QNetworkAccessManager;
namespace codalab::cluster {
class WorkerManager;
}
namespace codalab::server {
class ServerConnection;
class TokenManager;
} // namespace codalab::server
namespace codalab::worker {
class ControlServer;
}

/// The wiring of `codalab-worker-manager slurm`: credentials, the first login, the WorkerManager and its
/// control socket. Exit codes: 0 stopped, 1 credentials, login or control socket, 2 usage, 4 server
/// unreachable. Killed (SIGTERM), it leaves its jobs as they are: a new manager finds them again by name.
class ManagerDaemon : public QObject
{
    Q_OBJECT
public:
    explicit ManagerDaemon(ManagerCommandLine commandLine, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    void exit(int code);

private:
    void fail(int code, const QString &message);
    void startManager();

    ManagerCommandLine m_cl;
    QNetworkAccessManager *m_nam;
    codalab::server::ServerConnection *m_connection;
    codalab::server::TokenManager *m_tokens = nullptr;
    codalab::cluster::WorkerManager *m_manager = nullptr;
    codalab::worker::ControlServer *m_control = nullptr;
};
