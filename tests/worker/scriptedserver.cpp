// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/scriptedserver.h"

#include <QTcpSocket>

#include <memory>

namespace codalab::test {

namespace {

struct Connection
{
    QByteArray buffer;
    ScriptedServer::Request request;
    qint64 remaining = -1; // -1: the head is not complete yet
};

} // namespace

ScriptedServer::ScriptedServer(QList<Answer> script, bool keepBodies)
    : m_script(std::move(script))
    , m_keepBodies(keepBodies)
{
    QObject::connect(&m_server, &QTcpServer::newConnection, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            accept(socket);
        }
    });
}

void ScriptedServer::accept(QTcpSocket *socket)
{
    socket->setReadBufferSize(64 * 1024); // so a stalled body backs up to the sender
    auto connection = std::make_shared<Connection>();
    QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, socket] {
        ++disconnects;
        socket->deleteLater();
    });
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, connection] {
        // A request whose head names a `fixed` path gets that answer and does not advance the script.
        const auto fixedFor = [this](const QByteArray &head) -> const Answer * {
            for (const auto &[path, fixedAnswer] : std::as_const(fixed)) {
                if (head.contains(path)) {
                    return &fixedAnswer;
                }
            }
            return nullptr;
        };
        const auto answerFor = [this, fixedFor](const QByteArray &head) -> const Answer & {
            const Answer *f = fixedFor(head);
            return f ? *f : m_script.at(qMin(m_scripted, int(m_script.size()) - 1));
        };
        if (connection->remaining >= 0 && answerFor(connection->request.head).stall) {
            return;
        }
        connection->buffer += socket->readAll();
        if (connection->remaining < 0) {
            const qsizetype end = connection->buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                return;
            }
            connection->request.head = connection->buffer.left(end + 4);
            connection->buffer.remove(0, end + 4);
            const QByteArray lower = connection->request.head.toLower();
            const qsizetype at = lower.indexOf("\r\ncontent-length: ");
            connection->remaining = at < 0 ? 0 : lower.mid(at + 18).split('\r').first().toLongLong();
        }
        const Answer &answer = answerFor(connection->request.head);
        const qint64 take = qMin<qint64>(connection->remaining, connection->buffer.size());
        if (m_keepBodies) {
            connection->request.body += connection->buffer.left(take);
        }
        connection->request.bodySize += take;
        connection->buffer.remove(0, take);
        connection->remaining -= take;
        if (connection->remaining > 0 || answer.stall) {
            return;
        }
        requests.append(connection->request);
        if (!fixedFor(connection->request.head)) {
            ++m_scripted;
        }
        if (!answer.silent) {
            socket->write("HTTP/1.1 " + QByteArray::number(answer.status) + " Scripted\r\nContent-Type: "
                + answer.contentType + "\r\nConnection: close\r\nContent-Length: "
                + QByteArray::number(answer.body.size()) + "\r\n\r\n" + answer.body);
            socket->disconnectFromHost();
        }
    });
}

} // namespace codalab::test
