// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/httprequestparser.h"

#include <algorithm>
#include <limits>

namespace codalab::localserver {

namespace {

/// RFC 9110 token characters: what a header name is made of (http-parser as Debian builds it, without
/// HTTP_PARSER_STRICT, lets a space through).
bool isToken(QByteArrayView bytes)
{
    return !bytes.isEmpty() && std::all_of(bytes.begin(), bytes.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || (c != '\0' && QByteArrayView("!#$%&'*+-.^_`|~").contains(c));
    });
}

QByteArrayList commaList(const QList<QPair<QByteArray, QByteArray>> &headers, const char *name)
{
    QByteArrayList out;
    for (const auto &[n, value] : headers) {
        if (n == name) {
            for (const QByteArray &v : value.split(',')) {
                out << v.trimmed().toLower();
            }
        }
    }
    return out;
}

/// A short, printable excerpt of what a client sent, for an error message.
QString excerpt(const QByteArray &bytes)
{
    QString out;
    for (const char c : bytes.left(60)) {
        const auto u = static_cast<unsigned char>(c);
        out += u >= 0x20 && u < 0x7f ? QString(QLatin1Char(c))
                                     : QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    return bytes.size() > 60 ? out + QStringLiteral("...") : out;
}

HttpRequestParser *self(http_parser *p)
{
    return static_cast<HttpRequestParser *>(p->data);
}

} // namespace

QByteArray HttpRequestHead::header(const QByteArray &lowerName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerName) {
            return value;
        }
    }
    return {};
}

HttpRequestParser::HttpRequestParser(HttpHeadLimits limits)
    : m_limits(limits)
{
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
}

void HttpRequestParser::append(const QByteArray &bytes)
{
    // The head of the current request stays whole (error messages and the folding check look back into
    // it); otherwise only the two bytes before m_pos, which the chunk framing checks read.
    const qsizetype keep = m_inMessage && !m_headDone ? m_headStart : qMax<qsizetype>(0, m_pos - 2);
    if (keep > 0) {
        m_buffer.remove(0, keep);
        m_pos -= keep;
        m_headStart = qMax<qsizetype>(0, m_headStart - keep);
    }
    m_buffer.append(bytes);
}

int HttpRequestParser::fail(int status, const QString &message)
{
    if (m_errorStatus == 0) {
        m_errorStatus = status;
        m_errorMessage = message;
    }
    return -1; // a callback's error: http-parser stops
}

HttpRequestParser::Event HttpRequestParser::next(QByteArray *piece)
{
    static const http_parser_settings settings = [] {
        http_parser_settings s {};
        s.on_message_begin = onMessageBegin;
        s.on_url = onUrl;
        s.on_header_field = onHeaderField;
        s.on_header_value = onHeaderValue;
        s.on_headers_complete = onHeadersComplete;
        s.on_body = onBody;
        s.on_message_complete = onMessageComplete;
        // Each stops the parser just past the LF that ends a chunk's size line or its data, which
        // http-parser (built without HTTP_PARSER_STRICT) does not check itself.
        s.on_chunk_header = [](http_parser *p) {
            self(p)->m_chunkEdge = ChunkEdge::SizeLine;
            http_parser_pause(p, 1);
            return 0;
        };
        s.on_chunk_complete = [](http_parser *p) {
            self(p)->m_chunkEdge = p->flags & F_TRAILING ? ChunkEdge::Last : ChunkEdge::Data;
            http_parser_pause(p, 1);
            return 0;
        };
        return s;
    }();
    while (m_errorStatus == 0 && m_pos < m_buffer.size()) {
        if (!m_inMessage) {
            // Blank lines before a request are ignored (RFC 9112 §2.2), as http-parser would; skipping them
            // here keeps them out of the head's size.
            while (m_pos < m_buffer.size() && (m_buffer[m_pos] == '\r' || m_buffer[m_pos] == '\n')) {
                ++m_pos;
            }
            if (m_pos == m_buffer.size()) {
                break;
            }
            m_headStart = m_pos;
        }
        m_event = Event::NeedMore;
        m_chunkEdge = ChunkEdge::None;
        http_parser_pause(&m_parser, 0);
        const size_t parsed = http_parser_execute(
            &m_parser, &settings, m_buffer.constData() + m_pos, size_t(m_buffer.size() - m_pos));
        const http_errno error = HTTP_PARSER_ERRNO(&m_parser);
        if (error != HPE_OK && error != HPE_PAUSED) {
            failFromLibrary(m_pos + qsizetype(parsed));
            break;
        }
        m_pos += qsizetype(parsed);
        if (m_inMessage && (!m_headDone || m_event == Event::Head)
            && m_pos - m_headStart > m_limits.maxHeadBytes) {
            fail(431,
                QStringLiteral("The request headers are larger than the limit of %1 bytes")
                    .arg(m_limits.maxHeadBytes));
        } else if (m_event == Event::Head && m_buffer[m_pos] != '\n') {
            fail(400, QStringLiteral("Malformed request: the headers must end with an empty line"));
        } else if ((m_chunkEdge == ChunkEdge::SizeLine || m_chunkEdge == ChunkEdge::Data)
            && (m_buffer[m_pos - 2] != '\r' || m_buffer[m_pos - 1] != '\n')) {
            fail(400,
                m_chunkEdge == ChunkEdge::Data
                    ? QStringLiteral("Malformed chunked body: a chunk is longer than its size says")
                    : QStringLiteral("Malformed chunked body: a chunk size line must end with CRLF"));
        } else if (m_chunkEdge == ChunkEdge::Last && m_buffer[m_pos] != '\n') {
            fail(400, QStringLiteral("Malformed chunked body: it must end with an empty line"));
        } else if (error == HPE_OK && m_event == Event::NeedMore && m_pos < m_buffer.size()) {
            fail(400, QStringLiteral("Malformed request: the parser stopped before its end"));
        } else if (m_event == Event::Body) {
            *piece = std::move(m_piece);
            return m_event;
        } else if (m_event != Event::NeedMore) {
            return m_event;
        }
    }
    if (m_errorStatus != 0) {
        m_buffer.clear();
        m_pos = 0;
        return Event::Error;
    }
    return Event::NeedMore;
}

int HttpRequestParser::onMessageBegin(http_parser *p)
{
    HttpRequestParser &d = *self(p);
    d.m_inMessage = true;
    d.m_headDone = false;
    d.m_valueLast = false;
    d.m_head = HttpRequestHead();
    return 0;
}

int HttpRequestParser::onUrl(http_parser *p, const char *at, size_t length)
{
    HttpRequestParser &d = *self(p);
    QByteArray &target = d.m_head.target;
    target.append(at, qsizetype(length));
    if (target.size() + qsizetype(qstrlen(http_method_str(http_method(p->method))))
        > d.m_limits.maxRequestLine) {
        return d.fail(414,
            QStringLiteral("The request line is longer than the limit of %1 bytes")
                .arg(d.m_limits.maxRequestLine));
    }
    // http-parser lets tabs and bytes past ASCII through.
    if (std::any_of(at, at + length, [](char c) { return uchar(c) <= 0x20 || uchar(c) >= 0x7f; })) {
        return d.fail(400,
            QStringLiteral("The request target has a byte that must be percent-encoded: '%1'")
                .arg(excerpt(target)));
    }
    return 0;
}

int HttpRequestParser::onHeaderField(http_parser *p, const char *at, size_t length)
{
    HttpRequestParser &d = *self(p);
    if (d.m_headDone) {
        return 0; // trailer fields are read past, not used; http-parser bounds their size
    }
    auto &headers = d.m_head.headers;
    if (d.m_valueLast || headers.isEmpty()) {
        if (headers.size() >= d.m_limits.maxHeaderCount) {
            return d.fail(431, QStringLiteral("More than %1 header lines").arg(d.m_limits.maxHeaderCount));
        }
        headers.emplaceBack();
        d.m_valueLast = false;
    }
    headers.last().first.append(at, qsizetype(length));
    return 0;
}

int HttpRequestParser::onHeaderValue(http_parser *p, const char *at, size_t length)
{
    HttpRequestParser &d = *self(p);
    if (d.m_headDone) {
        return 0;
    }
    // http-parser joins a folded line to the value before it; a value that starts a line is one.
    qsizetype i = at - d.m_buffer.constData() - 1;
    while (i > d.m_headStart && (d.m_buffer[i] == ' ' || d.m_buffer[i] == '\t')) {
        --i;
    }
    if (i >= d.m_headStart && d.m_buffer[i] == '\n') {
        return d.fail(400,
            QStringLiteral("Folded header lines are not accepted: '%1'")
                .arg(excerpt(d.lineAround(i + 1, nullptr))));
    }
    d.m_head.headers.last().second.append(at, qsizetype(length));
    d.m_valueLast = true;
    return 0;
}

int HttpRequestParser::onBody(http_parser *p, const char *at, size_t length)
{
    HttpRequestParser &d = *self(p);
    if (length > 0) {
        d.m_piece = QByteArray(at, qsizetype(length));
        d.m_event = Event::Body;
        http_parser_pause(p, 1);
    }
    return 0;
}

int HttpRequestParser::onMessageComplete(http_parser *p)
{
    HttpRequestParser &d = *self(p);
    d.m_inMessage = false;
    d.m_event = Event::End;
    http_parser_pause(p, 1);
    return 0;
}

int HttpRequestParser::onHeadersComplete(http_parser *parser)
{
    HttpRequestParser &d = *self(parser);
    if (!d.checkHead()) {
        return -1;
    }
    d.m_headDone = true;
    d.m_event = Event::Head;
    http_parser_pause(parser, 1);
    return 0;
}

bool HttpRequestParser::checkHead()
{
    HttpRequestHead &h = m_head;
    const http_parser &p = m_parser;
    h.method = http_method_str(http_method(p.method));
    if (p.http_major == 0) { // no version: http-parser takes it for HTTP/0.9
        fail(400,
            QStringLiteral("Malformed request line '%1 %2': expected METHOD /path HTTP/1.1")
                .arg(excerpt(h.method), excerpt(h.target)));
        return false;
    }
    if (p.http_major != 1 || p.http_minor > 1) {
        fail(505,
            QStringLiteral("HTTP version HTTP/%1.%2 is not supported; use HTTP/1.1")
                .arg(p.http_major)
                .arg(p.http_minor));
        return false;
    }
    h.minorVersion = p.http_minor;
    // An absolute-form target (as sent to a proxy) names this server; keep its path and query.
    if (!h.target.startsWith('/') && h.target != "*") {
        http_parser_url url;
        http_parser_url_init(&url);
        if (http_parser_parse_url(h.target.constData(), size_t(h.target.size()), 0, &url) != 0
            || !(url.field_set & (1 << UF_HOST))) {
            fail(400,
                QStringLiteral("Invalid request target '%1': it must start with /").arg(excerpt(h.target)));
            return false;
        }
        const auto part
            = [&](int field) { return h.target.mid(url.field_data[field].off, url.field_data[field].len); };
        QByteArray origin = url.field_set & (1 << UF_PATH) ? part(UF_PATH) : QByteArray("/");
        if (url.field_set & (1 << UF_QUERY)) {
            origin += '?' + part(UF_QUERY);
        }
        h.target = origin;
    }
    int hosts = 0;
    for (auto &[name, value] : h.headers) {
        if (!isToken(name)) {
            fail(400, QStringLiteral("Malformed header line '%1'").arg(excerpt(name + ": " + value)));
            return false;
        }
        name = name.toLower();
        value = value.trimmed();
        if (name == "host") {
            ++hosts;
        } else if (name == "expect") {
            if (value.toLower() != "100-continue") {
                fail(417, QStringLiteral("Expect: %1 is not supported").arg(excerpt(value)));
                return false;
            }
            h.expectContinue = true;
        }
    }
    if (p.upgrade) { // http-parser would hand the rest of the connection over
        fail(501,
            p.method == HTTP_CONNECT
                ? QStringLiteral("Method CONNECT is not supported")
                : QStringLiteral("Upgrading the connection (Upgrade: %1) is not supported")
                      .arg(excerpt(h.header("upgrade"))));
        return false;
    }
    if (h.minorVersion == 1 && hosts != 1) {
        fail(400,
            hosts == 0 ? QStringLiteral("An HTTP/1.1 request needs a Host header")
                       : QStringLiteral("A request must have one Host header, not %1").arg(hosts));
        return false;
    }
    // http-parser has refused two Content-Lengths, and one beside Transfer-Encoding, already.
    const QByteArrayList encodings = commaList(h.headers, "transfer-encoding");
    if (!encodings.isEmpty() && (encodings != QByteArrayList { "chunked" } || h.minorVersion == 0)) {
        fail(501,
            QStringLiteral(
                "Transfer-Encoding '%1' is not supported; send chunked (HTTP/1.1) or a Content-Length")
                .arg(excerpt(encodings.join(", "))));
        return false;
    }
    h.chunked = p.flags & F_CHUNKED;
    const bool hasLength = !h.chunked && p.content_length != std::numeric_limits<uint64_t>::max();
    if (hasLength && p.content_length > uint64_t(std::numeric_limits<qint64>::max())) {
        fail(400,
            QStringLiteral("Invalid Content-Length '%1': it must be one number of bytes")
                .arg(excerpt(h.header("content-length"))));
        return false;
    }
    h.contentLength = hasLength ? qint64(p.content_length) : 0;
    h.keepAlive = http_should_keep_alive(&p) != 0;
    return true;
}

QByteArray HttpRequestParser::lineAround(qsizetype at, qsizetype *offset) const
{
    at = qBound<qsizetype>(0, at, m_buffer.size());
    const qsizetype start = m_buffer.lastIndexOf('\n', at - 1) + 1;
    qsizetype end = m_buffer.indexOf('\n', at);
    end = end < 0 ? m_buffer.size() : end;
    if (offset) {
        *offset = at - start;
    }
    QByteArray line = m_buffer.mid(start, qMin<qsizetype>(end - start, 200));
    return line.endsWith('\r') ? line.chopped(1) : line;
}

void HttpRequestParser::failFromLibrary(qsizetype errorAt)
{
    const http_errno error = HTTP_PARSER_ERRNO(&m_parser);
    const bool requestLine = !m_headDone && m_head.headers.isEmpty();
    qsizetype offset = 0;
    const QByteArray line = lineAround(errorAt, &offset);
    switch (error) {
    case HPE_HEADER_OVERFLOW:
        // http-parser counts the request line with the headers.
        if (requestLine) {
            fail(414,
                QStringLiteral("The request line is longer than the limit of %1 bytes")
                    .arg(m_limits.maxRequestLine));
        } else {
            fail(431,
                QStringLiteral("The request %1 are larger than the limit of %2 bytes")
                    .arg(m_headDone ? QStringLiteral("trailers") : QStringLiteral("headers"))
                    .arg(qMin<qsizetype>(m_limits.maxHeadBytes, HTTP_MAX_HEADER_SIZE)));
        }
        return;
    case HPE_INVALID_METHOD: // m_headStart is past the blank lines before the request
        fail(400,
            QStringLiteral("Malformed request: '%1' is not an HTTP request line with a known method")
                .arg(excerpt(m_buffer.mid(m_headStart, 61))));
        return;
    case HPE_INVALID_URL:
        fail(400,
            QStringLiteral("Invalid request target in '%1': it must start with /, and a byte other than "
                           "visible ASCII must be percent-encoded")
                .arg(excerpt(line)));
        return;
    case HPE_INVALID_HEADER_TOKEN: {
        const qsizetype colon = line.indexOf(':');
        fail(400,
            colon > 0 && colon < offset ? QStringLiteral("Header %1 has a control character in its value")
                                              .arg(excerpt(line.left(colon)))
                                        : QStringLiteral("Malformed header line '%1'").arg(excerpt(line)));
        return;
    }
    case HPE_INVALID_CONTENT_LENGTH:
    case HPE_INVALID_CHUNK_SIZE:
        if (m_headDone) { // a chunk size that is not hex or does not fit in 64 bits
            fail(400, QStringLiteral("Malformed chunked body: invalid chunk size '%1'").arg(excerpt(line)));
        } else {
            fail(400,
                QStringLiteral("Invalid Content-Length '%1': it must be one number of bytes")
                    .arg(excerpt(line.mid(line.indexOf(':') + 1).trimmed())));
        }
        return;
    case HPE_UNEXPECTED_CONTENT_LENGTH:
        fail(400,
            m_parser.uses_transfer_encoding
                ? QStringLiteral("A request must not have both Content-Length and Transfer-Encoding")
                : QStringLiteral("Invalid Content-Length: a request must have one, not several"));
        return;
    case HPE_CLOSED_CONNECTION:
        fail(400, QStringLiteral("Malformed request: more data after a request that closes the connection"));
        return;
    default:
        break;
    }
    const QString what = QString::fromLatin1(http_errno_description(error));
    if (requestLine) {
        fail(400,
            QStringLiteral("Malformed request line '%1': expected METHOD /path HTTP/1.1 (%2)")
                .arg(excerpt(line), what));
    } else {
        fail(400,
            QStringLiteral("Malformed request %1 '%2': %3 (%4)")
                .arg(m_headDone ? QStringLiteral("body") : QStringLiteral("header line"), excerpt(line), what,
                    QString::fromLatin1(http_errno_name(error))));
    }
}

} // namespace codalab::localserver
