// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/controlerror.h"

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QLocalSocket>
#include <QObject>
#include <QString>

namespace codalab::worker {

class ControlCall;

/// The desktop's and `codalab-worker status|pause|...`'s end of the worker's control socket (see
/// ControlServer): JSON-RPC 2.0 calls, one JSON object per line.
///
/// Usage: connectToServer() starts connecting from the event loop and ends in connected() or in
/// errorOccurred() ("worker not running at <path>" when nobody listens). call() returns a ControlCall whose
/// finished() arrives once; calls made while connecting are sent once connected, and fail with a
/// ControlError::TransportError if the connection fails, closes before their answer, or their timeout
/// passes. subscribe() asks for the worker's events, which then arrive as event(). disconnected() is emitted
/// when an established connection ends. There is no automatic reconnect: call connectToServer() again.
/// Destroying the client cancels its pending calls without emitting anything.
class ControlClient : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype MaxAnswerBytes = 64 * 1024 * 1024;

    explicit ControlClient(QObject *parent = nullptr);
    ~ControlClient() override;

    /// Drops any current connection (its calls fail) and connects to `socketPath`, asynchronously.
    void connectToServer(const QString &socketPath);
    void disconnectFromServer();
    bool isConnected() const { return m_state == State::Connected; }
    QString socketPath() const { return m_path; }

    /// `params`, when not null, must be a JSON array or object. `timeoutMs` <= 0 waits for ever.
    ControlCall *call(const QString &method, const QJsonValue &params = {}, int timeoutMs = 10000);
    /// Asks for events; the returned call (result true) may be ignored.
    ControlCall *subscribe();

Q_SIGNALS:
    void connected();
    void disconnected();
    void errorOccurred(const QString &message);
    void eventReceived(const QString &name, const QJsonValue &data);

private:
    enum class State { Unconnected, Connecting, Connected };

    void onConnected();
    void onSocketError(QLocalSocket::LocalSocketError error);
    void onDisconnected();
    void onReadyRead();
    void handleMessage(const QJsonValue &message);
    void failPending(const QString &message);
    QString connectErrorMessage(QLocalSocket::LocalSocketError error) const;

    QLocalSocket *m_socket;
    QString m_path;
    State m_state = State::Unconnected;
    quint64 m_attempt = 0; ///< tells a deferred connect that a newer connectToServer() superseded it
    QString m_lastError;
    QByteArray m_outbox; ///< requests made while connecting
    QByteArray m_input;
    qsizetype m_scanFrom = 0;
    qint64 m_nextId = 1;
    QHash<qint64, ControlCall *> m_pending;
};

} // namespace codalab::worker
