// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/scriptedengine.h"

#include <QLocalSocket>

namespace codalab::test {

ScriptedEngine::ScriptedEngine(Handler handler)
    : m_handler(std::move(handler))
{
    m_server.listen(socketPath());
    connect(&m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server.nextPendingConnection()) {
            connect(socket, &QLocalSocket::readyRead, socket, [this, socket] {
                // Requests from our client carry small bodies; the header block is all that decides.
                const QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
                if (!buffer.contains("\r\n\r\n")) {
                    socket->setProperty("buffer", buffer);
                    return;
                }
                const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
                ++m_requests;
                const QByteArray answer = m_handler(requestLine.value(0), requestLine.value(1));
                if (answer == Hold) {
                    return; // keep the connection open and say nothing
                }
                if (!answer.isEmpty()) {
                    socket->write(answer);
                    socket->flush();
                }
                socket->disconnectFromServer();
            });
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

QByteArray ScriptedEngine::response(int status, const QByteArray &contentType, const QByteArray &body)
{
    return "HTTP/1.1 " + QByteArray::number(status) + " Scripted\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace codalab::test
