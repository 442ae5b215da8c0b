// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QTcpServer>

#include <utility>

class QTcpSocket;

namespace codalab::test {

/// An HTTP/1.1 server that keeps each request (head, Content-Length body) and answers from a script; the
/// last answer repeats. `stall` stops reading the body after the head, `silent` reads it and never answers.
/// For the failures a real server will not produce on demand: 5xx bursts, 4xx, a stalled or silent server.
///
/// Usage: construct it with the script, listen() (port 0 picks a free one), point a client at url(), and
/// read `requests` and `disconnects` as the event loop runs.
class ScriptedServer
{
public:
    struct Answer
    {
        int status = 200;
        QByteArray body = "{}";
        bool stall = false;
        bool silent = false;
        QByteArray contentType = "text/plain";
    };
    struct Request
    {
        QByteArray head;
        QByteArray body;
        qint64 bodySize = 0;
    };

    /// Without `keepBodies` only the body sizes are kept, for uploads too large to hold.
    explicit ScriptedServer(QList<Answer> script, bool keepBodies = true);

    bool listen(quint16 port = 0) { return m_server.listen(QHostAddress::LocalHost, port); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }

    QList<Request> requests;
    int disconnects = 0;
    /// Requests whose head contains the key (e.g. "/rest/oauth2/token") get its answer, out of the script.
    QList<std::pair<QByteArray, Answer>> fixed;

private:
    void accept(QTcpSocket *socket);

    QTcpServer m_server;
    QList<Answer> m_script;
    bool m_keepBodies;
    int m_scripted = 0; ///< requests the script has answered
};

} // namespace codalab::test
