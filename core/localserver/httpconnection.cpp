// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/httpconnection.h"

#include "localserver/localhttpserver.h"

#include <QDir>
#include <QLoggingCategory>
#include <QPointer>
#include <QTemporaryFile>
#include <QUrl>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

namespace codalab::localserver {

namespace {

constexpr qint64 ReadChunk = 256 * 1024;
/// Qt stops reading the socket past this, so a client that sends faster than it is served waits in TCP.
constexpr qint64 SocketBuffer = 1024 * 1024;
/// After a refusal: how long and how much of the rest of the request is read and dropped before closing.
constexpr int LingerMs = 2000;
constexpr qint64 MaxDiscard = 64 * 1024 * 1024;

/// A temporary file in `dir` for a body, removed when the last request copy lets go of it.
std::shared_ptr<QFile> makeBodyFile(const QString &dir, QString *error)
{
    auto *file = new QTemporaryFile(QDir(dir).filePath(QStringLiteral("upload-XXXXXX")));
    file->setAutoRemove(false); // an upload route may rename it into place; the deleter removes what is left
    if (!QDir().mkpath(dir) || !file->open()) {
        *error = file->errorString();
        delete file;
        return {};
    }
    const QString path = file->fileName();
    return std::shared_ptr<QFile>(file, [path](QFile *f) {
        delete f;
        QFile::remove(path);
    });
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, LocalHttpServer &server)
    : QObject(&server)
    , m_socket(socket)
    , m_server(server)
    , m_parser(server.limits().head)
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(SocketBuffer);
    m_timer.setSingleShot(true);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readSocket);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    // Data may have come with the connection, before readyRead was connected.
    QMetaObject::invokeMethod(this, &HttpConnection::readSocket, Qt::QueuedConnection);
}

void HttpConnection::readSocket()
{
    if (m_phase == Phase::Closing) {
        // Read and drop what the client still sends, so that closing does not reset the connection
        // before the client has read the answer.
        while (m_socket->bytesAvailable() > 0) {
            m_discarded += m_socket->read(ReadChunk).size();
        }
        if (m_discarded > MaxDiscard) {
            m_socket->abort();
        }
        return;
    }
    if (m_phase == Phase::Reading) {
        process();
    }
    // Handling: the next request waits in the socket until the answer is out.
}

void HttpConnection::process()
{
    bool readAny = false;
    while (m_phase == Phase::Reading) {
        QByteArray piece;
        switch (m_parser.next(&piece)) {
        case HttpRequestParser::Event::NeedMore:
            if (m_socket->bytesAvailable() > 0) {
                m_parser.append(m_socket->read(ReadChunk));
                readAny = true;
                continue;
            }
            if (m_parser.betweenRequests()) {
                m_timer.stop(); // an idle keep-alive connection may wait as long as the client likes
            } else if (readAny || !m_timer.isActive()) {
                m_timer.start(m_server.limits().stallTimeoutMs);
            }
            return;
        case HttpRequestParser::Event::Head:
            if (!beginRequest()) {
                return;
            }
            continue;
        case HttpRequestParser::Event::Body:
            if (!addBody(piece)) {
                return;
            }
            continue;
        case HttpRequestParser::Event::End:
            endRequest();
            return;
        case HttpRequestParser::Event::Error:
            refuse(HttpResponse::error(m_parser.errorStatus(), m_parser.errorMessage()));
            return;
        }
    }
}

bool HttpConnection::beginRequest()
{
    const HttpRequestHead &head = m_parser.head();
    m_request = HttpRequest();
    m_request.method = head.method;
    const QUrl url = QUrl::fromEncoded(head.target);
    if (!url.isValid()) {
        refuse(HttpResponse::error(400,
            QStringLiteral("Invalid request target '%1': %2")
                .arg(QString::fromLatin1(head.target.left(200)), url.errorString())));
        return false;
    }
    m_request.path = url.path(QUrl::FullyDecoded);
    m_request.rawPath = url.path(QUrl::FullyEncoded).toUtf8();
    // A form-encoded query (Python's urlencode, browsers) writes a space as '+'; QUrlQuery would keep it.
    // A literal '+' arrives as %2B and stays one.
    m_request.query
        = QUrlQuery(url.query(QUrl::FullyEncoded).replace(QLatin1Char('+'), QStringLiteral("%20")));
    for (const auto &[name, value] : head.headers) {
        m_request.headers.insert(name, value);
    }
    m_keepAlive = head.keepAlive;
    m_bodyBytes = 0;
    const LocalHttpServer::Admission admission = m_server.admit(m_request, head.contentLength);
    if (admission.refusal) {
        refuse(*admission.refusal);
        return false;
    }
    m_maxBodyBytes = admission.maxBodyBytes;
    if (admission.bodyToFile && head.hasBody()) {
        QString error;
        m_request.bodyFile = makeBodyFile(m_server.limits().tmpDir, &error);
        if (!m_request.bodyFile) {
            refuse(HttpResponse::error(500, QStringLiteral("Cannot store the upload: %1").arg(error)));
            return false;
        }
    } else if (head.contentLength > 0) {
        m_request.body.reserve(qMin<qint64>(head.contentLength, 64 * 1024 * 1024));
    }
    if (head.expectContinue && head.hasBody()) {
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    return true;
}

bool HttpConnection::addBody(const QByteArray &piece)
{
    m_bodyBytes += piece.size();
    if (m_bodyBytes > m_maxBodyBytes) { // only a chunked body gets here; a Content-Length is checked before
        refuse(HttpResponse::error(
            413, QStringLiteral("Request body is larger than the limit of %1 bytes").arg(m_maxBodyBytes)));
        return false;
    }
    if (!m_request.bodyFile) {
        m_request.body.append(piece);
        return true;
    }
    if (m_request.bodyFile->write(piece) != piece.size()) {
        refuse(HttpResponse::error(
            500, QStringLiteral("Cannot store the upload: %1").arg(m_request.bodyFile->errorString())));
        return false;
    }
    return true;
}

void HttpConnection::endRequest()
{
    m_phase = Phase::Handling;
    m_timer.stop();
    if (m_request.bodyFile && (!m_request.bodyFile->flush() || !m_request.bodyFile->seek(0))) {
        refuse(HttpResponse::error(
            500, QStringLiteral("Cannot store the upload: %1").arg(m_request.bodyFile->errorString())));
        return;
    }
    // The answer may come much later (a long poll) or from a copy of the responder; it tells us when.
    const QPointer<HttpConnection> self(this);
    const HttpResponder responder(m_socket, !m_keepAlive, [self] {
        if (self) {
            QMetaObject::invokeMethod(self, &HttpConnection::answered, Qt::QueuedConnection);
        }
    });
    HttpRequest request = std::move(m_request);
    m_request = HttpRequest();
    m_server.dispatch(request, responder);
}

void HttpConnection::answered()
{
    if (m_phase != Phase::Handling) {
        return;
    }
    if (!m_keepAlive) {
        m_phase = Phase::Closing;
        m_socket->disconnectFromHost(); // after what is queued has gone out
        return;
    }
    m_phase = Phase::Reading;
    process();
}

void HttpConnection::refuse(const HttpResponse &response)
{
    qCInfo(lcHttp).noquote() << "Refused a request from" << m_socket->peerAddress().toString() << "with"
                             << response.status << QString::fromUtf8(response.body.left(200));
    m_phase = Phase::Closing;
    m_request = HttpRequest(); // a body file goes with it
    HttpResponder(m_socket, true).send(response);
    m_timer.start(LingerMs);
    readSocket(); // drop what already came
}

void HttpConnection::onBytesWritten()
{
    if (m_phase != Phase::Closing || m_writeShut || m_socket->bytesToWrite() > 0) {
        return;
    }
    // The answer is out: end our side so the client sees it complete, and keep reading until it closes.
    m_writeShut = true;
#ifdef Q_OS_UNIX
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
#else
    m_socket->disconnectFromHost();
#endif
}

void HttpConnection::onTimeout()
{
    if (m_phase == Phase::Closing) {
        m_socket->abort();
        return;
    }
    if (m_phase == Phase::Reading && !m_parser.betweenRequests()) {
        refuse(HttpResponse::error(408,
            QStringLiteral("The request stopped arriving for %1 s")
                .arg(m_server.limits().stallTimeoutMs / 1000)));
    }
}

} // namespace codalab::localserver
