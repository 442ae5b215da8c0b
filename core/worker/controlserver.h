// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/controlerror.h"
#include "worker/controlsocketfile.h"

#include <QHash>
#include <QJsonValue>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QLocalServer;
class QLocalSocket;

namespace codalab::worker {

/// The worker's control socket: JSON-RPC 2.0 over a unix socket, one JSON object (or batch array) per line,
/// for the desktop GUI and `codalab-worker status|pause|...`.
///
/// Usage: construct it with the socket path and a Handler that implements the worker's methods, call
/// listen(), and publish() events as they happen. The handler runs on this object's thread for every request
/// but the built-in `subscribe`, `unsubscribe` and `rpc.ping`; it must not block. It returns the result, or
/// sets *error (ControlError::methodNotFound() for a name it does not know; returning an undefined
/// QJsonValue means the same). Requests without "id" are notifications and get no answer. The handler may
/// publish(), but must not destroy the server (use deleteLater()).
///
/// Safety: the socket is mode 0600 from the moment it exists (bound inside a private 0700 directory, chmod,
/// then hard-linked into place), so no other user ever gets a window to connect. A client cannot make the
/// worker buffer without bound: a line over 1 MiB is refused and the connection closed, reading from a
/// client stops while its unread answers exceed 1 MiB, and a client with over 16 MiB of unread output
/// (a subscriber that stopped reading events) is dropped. Destroying the server closes every client and
/// removes the socket file (unless another process replaced it meanwhile).
class ControlServer : public QObject
{
    Q_OBJECT
public:
    /// Returns the result, or sets *error. Runs on the server's thread; must not block.
    using Handler
        = std::function<QJsonValue(const QString &method, const QJsonValue &params, ControlError *error)>;

    static constexpr qsizetype MaxLineBytes = 1024 * 1024;
    static constexpr qint64 MaxOutputBytes = 16 * 1024 * 1024;

    ControlServer(QString socketPath, Handler handler, QObject *parent = nullptr);
    ~ControlServer() override;

    /// Creates the parent directory (0700) if missing and starts listening. A stale socket file (nobody
    /// answers) is replaced; a live one (another worker answers) or a file that is not a socket makes it
    /// return false with *error saying so, leaving the file alone.
    bool listen(QString *error);
    bool isListening() const;
    QString socketPath() const { return m_socketFile.path(); }

    /// Sends {"jsonrpc":"2.0","method":"event","params":{"event":event,"data":data}} to every client that
    /// called "subscribe".
    void publish(const QString &event, const QJsonValue &data);
    int clientCount() const { return int(m_clients.size()); }

    /// $XDG_RUNTIME_DIR/codalab/worker-<id>.sock, else ~/.local/state/CodaLab/worker-<id>.sock; the id is
    /// reduced to file-name characters, and shortened (with a hash kept for uniqueness) when the path would
    /// not fit a unix socket address.
    static QString defaultSocketPath(const QString &workerId);

private:
    struct Client;

    void onNewConnection();
    void onDisconnected(QLocalSocket *socket);
    void processInput(QLocalSocket *socket);
    void handleLine(QLocalSocket *socket, QByteArray line);
    std::optional<QJsonObject> dispatch(QLocalSocket *socket, const QJsonValue &request);
    QJsonValue invoke(
        QLocalSocket *socket, const QString &method, const QJsonValue &params, ControlError *error);
    bool send(QLocalSocket *socket, const QJsonValue &message);
    bool write(QLocalSocket *socket, const QByteArray &bytes);
    void refuseLongLine(QLocalSocket *socket);
    void drop(QLocalSocket *socket, const QString &why);

    ControlSocketFile m_socketFile;
    Handler m_handler;
    QLocalServer *m_server = nullptr;
    QHash<QLocalSocket *, std::shared_ptr<Client>> m_clients;
};

} // namespace codalab::worker
