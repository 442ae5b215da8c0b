// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/controlclient.h"

#include "util/logging.h"
#include "worker/controlcall.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

namespace codalab::worker {

ControlClient::ControlClient(QObject *parent)
    : QObject(parent)
    , m_socket(new QLocalSocket(this))
{
    connect(m_socket, &QLocalSocket::connected, this, &ControlClient::onConnected);
    connect(m_socket, &QLocalSocket::errorOccurred, this, &ControlClient::onSocketError);
    connect(m_socket, &QLocalSocket::disconnected, this, &ControlClient::onDisconnected);
    connect(m_socket, &QLocalSocket::readyRead, this, &ControlClient::onReadyRead);
}

ControlClient::~ControlClient()
{
    m_socket->disconnect(this);
    m_socket->abort();
    const QList<ControlCall *> calls = m_pending.values();
    m_pending.clear();
    for (ControlCall *call : calls) {
        call->disconnect(this);
        delete call;
    }
}

void ControlClient::connectToServer(const QString &socketPath)
{
    if (m_state != State::Unconnected) {
        disconnectFromServer();
    }
    // QLocalSocket would look for a relative name in /tmp; the worker resolves it against its own directory.
    m_path = QDir::cleanPath(QDir::current().absoluteFilePath(socketPath));
    m_state = State::Connecting;
    m_input.clear();
    m_scanFrom = 0;
    const quint64 attempt = ++m_attempt;
    // From the event loop, so that connected() or errorOccurred() never fire inside this call.
    QTimer::singleShot(0, this, [this, attempt] {
        if (attempt == m_attempt && m_state == State::Connecting) {
            m_socket->connectToServer(m_path);
        }
    });
}

void ControlClient::disconnectFromServer()
{
    const State was = m_state;
    if (was == State::Unconnected) {
        return;
    }
    ++m_attempt;
    m_state = State::Unconnected;
    m_outbox.clear();
    m_lastError = QStringLiteral("disconnected from the worker at %1").arg(m_path);
    m_socket->blockSignals(true); // this is not the worker going away: no errorOccurred()
    m_socket->abort();
    m_socket->blockSignals(false);
    failPending(m_lastError);
    if (was == State::Connected) {
        Q_EMIT disconnected();
    }
}

ControlCall *ControlClient::call(const QString &method, const QJsonValue &params, int timeoutMs)
{
    const qint64 id = m_nextId++;
    auto *call = new ControlCall(id, method, m_path, timeoutMs, this);
    if (m_state == State::Unconnected) {
        const QString message = !m_lastError.isEmpty() ? m_lastError
            : m_path.isEmpty()                         ? QStringLiteral("not connected to a worker")
                               : QStringLiteral("not connected to the worker at %1").arg(m_path);
        // Later, from the event loop: finished() never fires before the caller could connect to it.
        QTimer::singleShot(0, call,
            [call, message] { call->finish({}, ControlError::make(ControlError::TransportError, message)); });
        return call;
    }
    m_pending.insert(id, call);
    connect(call, &QObject::destroyed, this, [this, id] { m_pending.remove(id); });

    QJsonObject request { { QStringLiteral("jsonrpc"), QStringLiteral("2.0") }, { QStringLiteral("id"), id },
        { QStringLiteral("method"), method } };
    if (!params.isNull() && !params.isUndefined()) {
        request.insert(QStringLiteral("params"), params);
    }
    const QByteArray line = QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n';
    if (m_state == State::Connected) {
        m_socket->write(line);
    } else {
        m_outbox += line;
    }
    return call;
}

ControlCall *ControlClient::subscribe()
{
    return call(QStringLiteral("subscribe"));
}

void ControlClient::onConnected()
{
    if (m_state != State::Connecting) {
        return;
    }
    m_state = State::Connected;
    m_lastError.clear();
    qCDebug(lcControl).noquote() << "connected to the worker at" << m_path;
    if (!m_outbox.isEmpty()) {
        m_socket->write(m_outbox);
        m_outbox.clear();
    }
    Q_EMIT connected();
}

void ControlClient::onSocketError(QLocalSocket::LocalSocketError error)
{
    if (m_state == State::Connecting) {
        m_state = State::Unconnected;
        m_outbox.clear();
        m_lastError = connectErrorMessage(error);
        QPointer<ControlClient> self(this);
        failPending(m_lastError);
        if (self) {
            Q_EMIT errorOccurred(m_lastError);
        }
        return;
    }
    // The worker closing the connection is reported by disconnected(), and the calls it leaves unanswered.
    if (m_state == State::Connected && error != QLocalSocket::PeerClosedError) {
        Q_EMIT errorOccurred(
            QStringLiteral("connection to the worker at %1: %2").arg(m_path, m_socket->errorString()));
    }
}

void ControlClient::onDisconnected()
{
    if (m_state != State::Connected) {
        return;
    }
    m_state = State::Unconnected;
    m_lastError = QStringLiteral("the worker at %1 closed the connection (it may have stopped)").arg(m_path);
    qCDebug(lcControl).noquote() << m_lastError;
    QPointer<ControlClient> self(this);
    failPending(m_lastError);
    if (self) {
        Q_EMIT disconnected();
    }
}

void ControlClient::onReadyRead()
{
    QPointer<ControlClient> self(this);
    m_input += m_socket->readAll();
    qsizetype start = 0;
    qsizetype newline;
    while ((newline = m_input.indexOf('\n', m_scanFrom)) >= 0) {
        const QByteArray line = m_input.mid(start, newline - start).trimmed();
        start = m_scanFrom = newline + 1;
        if (line.isEmpty()) {
            continue;
        }
        QJsonParseError parseError {};
        const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            qCWarning(lcControl) << "ignoring a malformed line from the worker:" << parseError.errorString();
            continue;
        }
        const QJsonArray messages = document.isArray() ? document.array() : QJsonArray { document.object() };
        for (const QJsonValue &message : messages) {
            handleMessage(message);
            if (!self || m_state != State::Connected) {
                return; // a receiver destroyed or disconnected us; what is left is not ours to read
            }
        }
    }
    m_input.remove(0, start);
    m_scanFrom -= start;
    if (m_input.size() > MaxAnswerBytes) {
        const QString message = QStringLiteral("the worker at %1 sent a line over %2 MiB; disconnecting")
                                    .arg(m_path)
                                    .arg(MaxAnswerBytes >> 20);
        disconnectFromServer();
        if (self) {
            Q_EMIT errorOccurred(message);
        }
    }
}

void ControlClient::handleMessage(const QJsonValue &value)
{
    const QJsonObject message = value.toObject();
    if (!message.contains(QStringLiteral("id"))) {
        if (message.value(QStringLiteral("method")) == QJsonValue(QStringLiteral("event"))) {
            const QJsonObject params = message.value(QStringLiteral("params")).toObject();
            Q_EMIT eventReceived(
                params.value(QStringLiteral("event")).toString(), params.value(QStringLiteral("data")));
        }
        return;
    }
    const QJsonValue id = message.value(QStringLiteral("id"));
    if (!id.isDouble()) {
        // Our ids are numbers: this answers a line the worker could not read at all.
        qCWarning(lcControl).noquote()
            << "the worker could not read a request:"
            << ControlError::fromJson(message.value(QStringLiteral("error"))).message;
        return;
    }
    ControlCall *call = m_pending.take(id.toInteger());
    if (!call) {
        return; // timed out or cancelled meanwhile
    }
    if (message.contains(QStringLiteral("error"))) {
        call->finish({}, ControlError::fromJson(message.value(QStringLiteral("error"))));
    } else if (message.contains(QStringLiteral("result"))) {
        call->finish(message.value(QStringLiteral("result")), {});
    } else {
        call->finish({},
            ControlError::make(ControlError::TransportError,
                QStringLiteral("the worker's answer to %1 has neither a result nor an error")
                    .arg(call->method())));
    }
}

void ControlClient::failPending(const QString &message)
{
    // A receiver of finished() may delete other calls, or this client: hold them all by QPointer.
    QList<QPointer<ControlCall>> calls;
    for (ControlCall *call : std::as_const(m_pending)) {
        calls.append(call);
    }
    m_pending.clear();
    QPointer<ControlClient> self(this);
    for (const QPointer<ControlCall> &call : std::as_const(calls)) {
        if (call) {
            call->finish({}, ControlError::make(ControlError::TransportError, message));
        }
        if (!self) {
            return;
        }
    }
}

QString ControlClient::connectErrorMessage(QLocalSocket::LocalSocketError error) const
{
    switch (error) {
    case QLocalSocket::ServerNotFoundError:
    case QLocalSocket::ConnectionRefusedError:
        return QStringLiteral("worker not running at %1").arg(m_path);
    case QLocalSocket::SocketAccessError:
        return QStringLiteral("not allowed to connect to the worker at %1 (permission denied)").arg(m_path);
    case QLocalSocket::SocketTimeoutError:
        return QStringLiteral("the worker at %1 did not accept the connection in time").arg(m_path);
    default:
        return QStringLiteral("cannot connect to the worker at %1: %2").arg(m_path, m_socket->errorString());
    }
}

} // namespace codalab::worker
