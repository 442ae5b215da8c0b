// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <http_parser.h>

namespace codalab::localserver {

/// What a request may send before its body. Past a limit the parser stops with 414 or 431, so a hostile
/// client costs at most this much memory per connection. http-parser itself refuses a head (request line
/// and headers together) past HTTP_MAX_HEADER_SIZE, 80 KiB in Debian's build: larger limits than that have
/// no effect, so the defaults stay within it.
struct HttpHeadLimits
{
    qsizetype maxRequestLine = 64 * 1024; ///< method and target; 414 past it
    qsizetype maxHeadBytes = 80 * 1024; ///< the request line and every header line; 431 past it
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

/// An incremental HTTP/1.1 request parser (RFC 9112) on http-parser (the nodejs parser Qt HttpServer uses
/// too): the connection appends bytes as they arrive and pulls events, and the body comes out in pieces as
/// it arrives, so nothing but the head is ever held whole.
///
/// Usage: append(bytes), then call next() until it returns NeedMore: Head (head() describes a new
/// request), Body (the next piece of its body, chunked framing removed), End (the request is complete and
/// the parser is ready for the next one) or Error (errorStatus() and errorMessage() are the answer to give;
/// the connection cannot be trusted to carry more requests and must close). It is strict where leniency
/// lets requests be smuggled or memory be tied up: one Content-Length, no Content-Length beside
/// Transfer-Encoding, no header line folding, no control characters, CRLF after every chunk.
class HttpRequestParser
{
public:
    enum class Event { NeedMore, Head, Body, End, Error };

    explicit HttpRequestParser(HttpHeadLimits limits = {});
    HttpRequestParser(const HttpRequestParser &) = delete; // http-parser's callbacks point back here
    HttpRequestParser &operator=(const HttpRequestParser &) = delete;

    void append(const QByteArray &bytes);
    /// The next event; for Body, `*piece` holds the bytes.
    Event next(QByteArray *piece);

    const HttpRequestHead &head() const { return m_head; }
    int errorStatus() const { return m_errorStatus; }
    const QString &errorMessage() const { return m_errorMessage; }
    /// Bytes appended and not parsed yet.
    qsizetype buffered() const { return m_buffer.size() - m_pos; }
    /// True between requests: nothing of a new one has arrived.
    bool betweenRequests() const { return !m_inMessage && buffered() == 0 && m_errorStatus == 0; }

private:
    // http-parser's callbacks; each hands over to the parser in `p->data`.
    static int onMessageBegin(http_parser *p);
    static int onUrl(http_parser *p, const char *at, size_t length);
    static int onHeaderField(http_parser *p, const char *at, size_t length);
    static int onHeaderValue(http_parser *p, const char *at, size_t length);
    static int onHeadersComplete(http_parser *p);
    static int onBody(http_parser *p, const char *at, size_t length);
    static int onMessageComplete(http_parser *p);

    int fail(int status, const QString &message);
    bool checkHead();
    void failFromLibrary(qsizetype errorAt);
    /// The line around `at` (an index in m_buffer) and where `at` is in it, for error messages.
    QByteArray lineAround(qsizetype at, qsizetype *offset) const;

    /// Where a chunk callback paused the parser: just past a size line's LF or a chunk's, or at the LF
    /// of the empty line that ends the body.
    enum class ChunkEdge { None, SizeLine, Data, Last };

    HttpHeadLimits m_limits;
    http_parser m_parser;
    QByteArray m_buffer; ///< what was appended; the head of the current request stays until it is complete
    qsizetype m_pos = 0; ///< where parsing continues in m_buffer
    qsizetype m_headStart = 0; ///< where the current request starts in m_buffer
    bool m_inMessage = false; ///< a request has begun and has not ended
    bool m_headDone = false; ///< its Head was handed out (header callbacks now carry trailers)
    bool m_valueLast = false; ///< the last header callback was a value: a field callback starts a new header
    ChunkEdge m_chunkEdge = ChunkEdge::None;
    Event m_event = Event::NeedMore; ///< what a callback produced, before it paused the parser
    QByteArray m_piece;
    HttpRequestHead m_head;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace codalab::localserver
