// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/httprequest.h"
#include "localserver/httprequestparser.h"

#include <QObject>
#include <QTcpSocket>
#include <QTimer>

namespace codalab::localserver {

class LocalHttpServer;
struct HttpResponse;

/// One client connection of the local server. It reads requests with HttpRequestParser, puts each body
/// where its route wants it (memory or a temporary file, never past the route's limit), hands complete
/// requests to the server one at a time and reads the next only once the answer is out, so answers keep
/// their order and a client that sends faster than it is answered is held back by TCP, not by memory.
///
/// A request it cannot accept — malformed (400), too large (413, 414, 431), stalled (408) — gets a clear
/// plain-text answer with "Connection: close"; the connection then stops sending, reads and drops what
/// the client still sends for a moment (so the answer is not lost to a reset) and closes. It deletes itself
/// when the client goes; a body file of a request cut off is removed with it.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    /// Takes `socket` over; `server` must outlive this (it is the parent).
    HttpConnection(QTcpSocket *socket, LocalHttpServer &server);

private:
    enum class Phase { Reading, Handling, Closing };

    void readSocket();
    void process();
    bool beginRequest();
    bool addBody(const QByteArray &piece);
    void endRequest();
    void answered();
    void refuse(const HttpResponse &response);
    void onBytesWritten();
    void onTimeout();

    QTcpSocket *m_socket;
    LocalHttpServer &m_server;
    HttpRequestParser m_parser;
    Phase m_phase = Phase::Reading;
    HttpRequest m_request;
    bool m_keepAlive = true;
    qint64 m_maxBodyBytes = 0;
    qint64 m_bodyBytes = 0;
    qint64 m_discarded = 0;
    bool m_writeShut = false;
    QTimer m_timer; ///< a stalled request while reading; the end of lingering while closing
};

} // namespace codalab::localserver
