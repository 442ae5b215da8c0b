// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/httpresponder.h"

#include <QFile>

namespace codalab::localserver {

HttpResponder::HttpResponder(QTcpSocket *socket)
    : m_state(std::make_shared<State>())
{
    m_state->socket = socket;
}

void HttpResponder::send(const HttpResponse &response) const
{
    if (m_state->sent) {
        return;
    }
    m_state->sent = true;
    if (isConnected()) {
        m_state->socket->write(response.serialize());
    }
}

void HttpResponder::sendFile(HttpResponse head, const QString &path, qint64 offset, qint64 length) const
{
    if (m_state->sent) {
        return;
    }
    m_state->sent = true;
    if (!isConnected()) {
        return;
    }
    QTcpSocket *socket = m_state->socket;
    auto file = std::make_shared<QFile>(path);
    if (!file->open(QIODevice::ReadOnly) || !file->seek(offset)) {
        socket->write(HttpResponse::error(500, QStringLiteral("Cannot read %1").arg(path)).serialize());
        return;
    }
    head.body.clear();
    head.contentLength = length;
    socket->write(head.serialize());
    auto remaining = std::make_shared<qint64>(length);
    auto connection = std::make_shared<QMetaObject::Connection>();
    // Keep about 1 MiB queued: enough to keep the socket busy, little enough to bound memory.
    const auto pump = [socket, file, remaining, connection] {
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
