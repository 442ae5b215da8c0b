// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace codalab::localserver {

/// What a request may send before its body. Past a limit the parser stops with 414 or 431, so a hostile
/// client costs at most this much memory per connection.
struct HttpHeadLimits
{
    qsizetype maxRequestLine = 64 * 1024; ///< method, target and version; 414 past it
    qsizetype maxHeadBytes = 256 * 1024; ///< the request line and every header line; 431 past it
    int maxHeaderCount = 200; ///< header lines; 431 past it
};

/// The request line and headers of one request, checked and with the body's framing worked out.
struct HttpRequestHead
{
    QByteArray method;
    QByteArray target; ///< origin-form "/path?query" as sent (an absolute-form target is cut down to it)
    int minorVersion = 1; ///< HTTP/1.<minorVersion>
    QList<QPair<QByteArray, QByteArray>> headers; ///< names lower-case, values without surrounding blanks
    qint64 contentLength = 0; ///< bytes of body; 0 when none or chunked
    bool chunked = false; ///< Transfer-Encoding: chunked, length unknown until the last chunk
    bool keepAlive = true; ///< the connection may carry another request after this one
    bool expectContinue = false; ///< Expect: 100-continue

    /// The value of the header named `lowerName`, empty when absent.
    QByteArray header(const QByteArray &lowerName) const;
    bool hasBody() const { return chunked || contentLength > 0; }
};

/// An incremental HTTP/1.1 request parser (RFC 9112): the connection appends bytes as they arrive and pulls
/// events, and the body comes out in pieces as it arrives, so nothing but the head is ever held whole.
///
/// Usage: append(bytes), then call next() until it returns NeedMore: Head (head() describes a new
/// request), Body (the next piece of its body, chunked framing removed), End (the request is complete and
/// the parser is ready for the next one) or Error (errorStatus() and errorMessage() are the answer to give;
/// the connection cannot be trusted to carry more requests and must close). It is strict where leniency
/// lets requests be smuggled or memory be tied up: one Content-Length, no Content-Length beside
/// Transfer-Encoding, no header line folding, no control characters.
class HttpRequestParser
{
public:
    enum class Event { NeedMore, Head, Body, End, Error };

    explicit HttpRequestParser(HttpHeadLimits limits = {});

    void append(const QByteArray &bytes);
    /// The next event; for Body, `*piece` holds the bytes.
    Event next(QByteArray *piece);

    const HttpRequestHead &head() const { return m_head; }
    int errorStatus() const { return m_errorStatus; }
    const QString &errorMessage() const { return m_errorMessage; }
    /// Bytes appended and not parsed yet.
    qsizetype buffered() const { return m_buffer.size() - m_pos; }
    /// True between requests: nothing of a new one has arrived.
    bool betweenRequests() const { return m_state == State::Start && buffered() == 0; }

private:
    enum class State {
        Start,
        Head,
        LengthBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Complete,
        Failed
    };

    Event fail(int status, const QString &message);
    Event parseHead();
    /// Checks the start of a request line before it is complete, so garbage is refused at once.
    bool plausibleStart(qsizetype available) const;
    bool parseRequestLine(const QByteArray &line);
    bool parseHeaderLine(const QByteArray &line);
    bool parseFraming();
    Event bodyPiece(QByteArray *piece, State after);
    Event chunkSizeLine();
    Event trailerLine();

    HttpHeadLimits m_limits;
    QByteArray m_buffer;
    qsizetype m_pos = 0; ///< where parsing continues in m_buffer
    qsizetype m_scanned = 0; ///< head bytes already searched (from m_pos)
    qsizetype m_lineEnd = -1; ///< where the request line ends (from m_pos), once found
    qsizetype m_trailerBytes = 0;
    State m_state = State::Start;
    HttpRequestHead m_head;
    qint64 m_remaining = 0; ///< of the Content-Length body or the current chunk
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace codalab::localserver
