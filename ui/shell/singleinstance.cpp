// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/singleinstance.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTimer>

namespace codalab::ui {

SingleInstance::SingleInstance(const QString &socketPath, QObject *parent)
    : QObject(parent)
    , m_path(socketPath)
{ }

SingleInstance::~SingleInstance() = default;

QString SingleInstance::defaultSocketPath()
{
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    const QString dir = !runtime.isEmpty() && QDir::isAbsolutePath(runtime)
        ? QDir::cleanPath(runtime) + QStringLiteral("/codalab")
        : QDir::homePath() + QStringLiteral("/.local/state/CodaLab");
    return dir + QStringLiteral("/desktop.sock");
}

void SingleInstance::start(const QStringList &arguments)
{
    m_probe = new QLocalSocket(this);
    const QByteArray message
        = QJsonDocument(QJsonArray::fromStringList(arguments)).toJson(QJsonDocument::Compact) + '\n';
    connect(m_probe, &QLocalSocket::connected, this, [this, message] {
        m_probe->write(message);
        m_probe->flush();
        // The first instance closes the connection once it has read the line; then this one may go.
        connect(m_probe, &QLocalSocket::disconnected, this, &SingleInstance::forwarded);
        QTimer::singleShot(3000, this, [this] {
            if (m_probe && m_probe->state() != QLocalSocket::UnconnectedState) {
                m_probe->abort();
            }
        });
    });
    connect(m_probe, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError error) {
        if (m_probe->state() == QLocalSocket::ConnectedState || error == QLocalSocket::PeerClosedError) {
            return; // the hand-over ends with the peer closing: handled by disconnected()
        }
        m_probe->deleteLater();
        m_probe = nullptr;
        becomePrimary();
    });
    m_probe->connectToServer(m_path);
}

void SingleInstance::becomePrimary()
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    auto *server = new QLocalServer(this);
    server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!server->listen(m_path)) {
        // Nobody answered, so a socket file still there is a crashed instance's: replace it.
        QLocalServer::removeServer(m_path);
        if (!server->listen(m_path)) {
            const QString message = tr("Cannot listen on %1: %2").arg(m_path, server->errorString());
            delete server;
            Q_EMIT failed(message);
            return;
        }
    }
    m_server = server;
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
    Q_EMIT primary();
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > 64 * 1024) {
                    socket->abort(); // not a launch of ours
                }
                return;
            }
            const QJsonDocument doc = QJsonDocument::fromJson(socket->readLine());
            socket->disconnectFromServer();
            QStringList arguments;
            for (const QJsonValue &v : doc.array()) {
                arguments.append(v.toString());
            }
            Q_EMIT messageReceived(arguments);
        });
    }
}

} // namespace codalab::ui
