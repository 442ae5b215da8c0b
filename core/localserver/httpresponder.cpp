// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/httpresponder.h"

#include <QFile>

namespace codalab::localserver {

HttpResponder::HttpResponder(QTcpSocket *socket, bool closeAfter, std::function<void()> onDone)
    : m_state(std::make_shared<State>())
{
    m_state->socket = socket;
    m_state->closeAfter = closeAfter;
    m_state->onDone = std::move(onDone);
}

QByteArray HttpResponder::wire(HttpResponse response) const
{
    if (m_state->closeAfter) {
        response.withHeader("Connection", "close");
    }
    return response.serialize();
}

void HttpResponder::done(const std::shared_ptr<State> &state)
{
    if (state->onDone) {
        const auto onDone = std::move(state->onDone);
        state->onDone = nullptr;
        onDone();
    }
}

void HttpResponder::send(const HttpResponse &response) const
{
    if (m_state->sent) {
        return;
    }
    m_state->sent = true;
    if (isConnected()) {
        m_state->socket->write(wire(response));
    }
    done(m_state);
}

void HttpResponder::sendFile(HttpResponse head, const QString &path, qint64 offset, qint64 length) const
{
    if (m_state->sent) {
        return;
    }
    m_state->sent = true;
    if (!isConnected()) {
        done(m_state);
        return;
    }
    QTcpSocket *socket = m_state->socket;
    auto file = std::make_shared<QFile>(path);
    if (!file->open(QIODevice::ReadOnly) || !file->seek(offset)) {
        socket->write(wire(HttpResponse::error(500, QStringLiteral("Cannot read %1").arg(path))));
        done(m_state);
        return;
    }
    head.body.clear();
    head.contentLength = length;
    socket->write(wire(head));
    auto remaining = std::make_shared<qint64>(length);
    auto connection = std::make_shared<QMetaObject::Connection>();
    const std::shared_ptr<State> state = m_state;
    // Keep about 1 MiB queued: enough to keep the socket busy, little enough to bound memory.
    const auto pump = [socket, file, remaining, connection, state] {
        constexpr qint64 Chunk = 256 * 1024;
        while (*remaining > 0 && socket->bytesToWrite() < 4 * Chunk) {
            const QByteArray data = file->read(qMin(Chunk, *remaining));
            if (data.isEmpty()) {
                socket->abort(); // the file shrank: the promised length cannot be kept
                break;
            }
            socket->write(data);
            *remaining -= data.size();
        }
        if (*remaining <= 0 || socket->state() != QAbstractSocket::ConnectedState) {
            QObject::disconnect(*connection);
            done(state);
        }
    };
    *connection = QObject::connect(socket, &QTcpSocket::bytesWritten, socket, pump);
    pump();
}

bool HttpResponder::isConnected() const
{
    return m_state->socket && m_state->socket->state() == QAbstractSocket::ConnectedState;
}

} // namespace codalab::localserver
