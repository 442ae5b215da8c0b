// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/httprequestparser.h"

#include <algorithm>
#include <cctype>

namespace codalab::localserver {

namespace {

constexpr qsizetype MaxMethodLength = 32;
constexpr qsizetype MaxChunkSizeLine = 1024;

/// RFC 9110 token characters: what a method or a header name is made of.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return true;
    }
    return c != '\0' && QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView bytes)
{
    return !bytes.isEmpty() && std::all_of(bytes.begin(), bytes.end(), isTokenChar);
}

/// Field values: visible ASCII, blanks and bytes >= 0x80 (obs-text); never CR, LF, NUL or other controls.
bool isFieldValue(QByteArrayView bytes)
{
    return std::all_of(bytes.begin(), bytes.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u == '\t' || (u >= 0x20 && u != 0x7f);
    });
}

QByteArray trimBlanks(QByteArray bytes)
{
    qsizetype start = 0;
    qsizetype end = bytes.size();
    while (start < end && (bytes[start] == ' ' || bytes[start] == '\t')) {
        ++start;
    }
    while (end > start && (bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) {
        --end;
    }
    return bytes.mid(start, end - start);
}

QByteArray withoutCr(QByteArray line)
{
    if (line.endsWith('\r')) {
        line.chop(1);
    }
    return line;
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
{ }

void HttpRequestParser::append(const QByteArray &bytes)
{
    if (m_pos > 0) {
        m_buffer.remove(0, m_pos); // what is left is at most one read plus an unfinished head
        m_pos = 0;
    }
    m_buffer.append(bytes);
}

HttpRequestParser::Event HttpRequestParser::fail(int status, const QString &message)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorMessage = message;
    m_buffer.clear();
    m_pos = 0;
    return Event::Error;
}

HttpRequestParser::Event HttpRequestParser::next(QByteArray *piece)
{
    for (;;) {
        switch (m_state) {
        case State::Start:
            // Blank lines before a request are ignored (RFC 9112 §2.2): some clients end a body with one.
            while (m_pos < m_buffer.size() && (m_buffer[m_pos] == '\r' || m_buffer[m_pos] == '\n')) {
                ++m_pos;
            }
            if (m_pos == m_buffer.size()) {
                return Event::NeedMore;
            }
            m_head = HttpRequestHead();
            m_scanned = 0;
            m_lineEnd = -1;
            m_state = State::Head;
            continue;
        case State::Head:
            return parseHead();
        case State::LengthBody:
        case State::ChunkData:
            return bodyPiece(piece, m_state == State::LengthBody ? State::Complete : State::ChunkDataEnd);
        case State::ChunkDataEnd: {
            const qsizetype available = m_buffer.size() - m_pos;
            if (available == 0 || (available == 1 && m_buffer[m_pos] == '\r')) {
                return Event::NeedMore;
            }
            if (m_buffer[m_pos] == '\n') {
                m_pos += 1;
            } else if (m_buffer[m_pos] == '\r' && m_buffer[m_pos + 1] == '\n') {
                m_pos += 2;
            } else {
                return fail(
                    400, QStringLiteral("Malformed chunked body: a chunk is longer than its size says"));
            }
            m_state = State::ChunkSize;
            continue;
        }
        case State::ChunkSize:
        case State::Trailers: {
            const qsizetype before = m_pos;
            const Event e = m_state == State::ChunkSize ? chunkSizeLine() : trailerLine();
            if (e == Event::Error || m_pos == before) {
                return e; // nothing complete to parse yet
            }
            continue;
        }
        case State::Complete:
            m_state = State::Start;
            return Event::End;
        case State::Failed:
            return Event::Error;
        }
    }
}

bool HttpRequestParser::plausibleStart(qsizetype available) const
{
    for (qsizetype i = 0; i < qMin(available, MaxMethodLength + 1); ++i) {
        const char c = m_buffer[m_pos + i];
        if (c == ' ') {
            return i > 0;
        }
        if (!isTokenChar(c)) {
            return false;
        }
    }
    return available <= MaxMethodLength;
}

HttpRequestParser::Event HttpRequestParser::parseHead()
{
    const qsizetype available = m_buffer.size() - m_pos;
    if (m_lineEnd < 0) {
        // What does not start as "METHOD " is refused at once, however little of it came.
        if (!plausibleStart(available)) {
            return fail(400,
                QStringLiteral("Malformed request: '%1' is not an HTTP request line")
                    .arg(excerpt(m_buffer.mid(m_pos, 60))));
        }
        const qsizetype nl = m_buffer.indexOf('\n', m_pos + m_scanned);
        if (nl < 0) {
            m_scanned = available;
            if (available > m_limits.maxRequestLine) {
                return fail(414,
                    QStringLiteral("The request line is longer than the limit of %1 bytes")
                        .arg(m_limits.maxRequestLine));
            }
            return Event::NeedMore;
        }
        m_lineEnd = nl - m_pos;
        if (m_lineEnd > m_limits.maxRequestLine) {
            return fail(414,
                QStringLiteral("The request line is longer than the limit of %1 bytes")
                    .arg(m_limits.maxRequestLine));
        }
        // Refuse a bad request line at once rather than after its headers.
        if (!parseRequestLine(withoutCr(m_buffer.mid(m_pos, m_lineEnd)))) {
            return Event::Error;
        }
        m_scanned = m_lineEnd;
    }
    const qsizetype lineEnd = m_pos + m_lineEnd;
    // The head ends with an empty line; search only what was not searched before.
    qsizetype end = -1;
    const qsizetype from = qMax(lineEnd, m_pos + m_scanned - 2);
    for (qsizetype i = m_buffer.indexOf('\n', from); i >= 0; i = m_buffer.indexOf('\n', i + 1)) {
        if (i + 1 < m_buffer.size() && m_buffer[i + 1] == '\n') {
            end = i + 2;
            break;
        }
        if (i + 2 < m_buffer.size() && m_buffer[i + 1] == '\r' && m_buffer[i + 2] == '\n') {
            end = i + 3;
            break;
        }
    }
    m_scanned = available;
    if ((end < 0 ? available : end - m_pos) > m_limits.maxHeadBytes) {
        return fail(431,
            QStringLiteral("The request headers are larger than the limit of %1 bytes")
                .arg(m_limits.maxHeadBytes));
    }
    if (end < 0) {
        return Event::NeedMore;
    }
    const QList<QByteArray> lines = m_buffer.mid(lineEnd + 1, end - lineEnd - 1).split('\n');
    m_pos = end;
    int count = 0;
    for (const QByteArray &raw : lines) {
        const QByteArray line = withoutCr(raw);
        if (line.isEmpty()) {
            continue; // the blank line that ends the head
        }
        if (++count > m_limits.maxHeaderCount) {
            return fail(431, QStringLiteral("More than %1 header lines").arg(m_limits.maxHeaderCount));
        }
        if (!parseHeaderLine(line)) {
            return Event::Error;
        }
    }
    if (!parseFraming()) {
        return Event::Error;
    }
    m_remaining = m_head.contentLength;
    m_state = m_head.chunked       ? State::ChunkSize
        : m_head.contentLength > 0 ? State::LengthBody
                                   : State::Complete;
    return Event::Head;
}

bool HttpRequestParser::parseRequestLine(const QByteArray &line)
{
    const QList<QByteArray> parts = line.split(' ');
    if (parts.size() != 3 || !isToken(parts[0]) || parts[0].size() > MaxMethodLength || parts[1].isEmpty()) {
        fail(400,
            QStringLiteral("Malformed request line '%1': expected METHOD /path HTTP/1.1").arg(excerpt(line)));
        return false;
    }
    const QByteArray &version = parts[2];
    if (version == "HTTP/1.1" || version == "HTTP/1.0") {
        m_head.minorVersion = version.back() - '0';
    } else if (version.size() == 8 && version.startsWith("HTTP/")
        && std::isdigit(static_cast<unsigned char>(version[5])) && version[6] == '.'
        && std::isdigit(static_cast<unsigned char>(version[7]))) {
        fail(505, QStringLiteral("HTTP version %1 is not supported; use HTTP/1.1").arg(excerpt(version)));
        return false;
    } else {
        fail(400,
            QStringLiteral("Malformed request line '%1': expected METHOD /path HTTP/1.1").arg(excerpt(line)));
        return false;
    }
    QByteArray target = parts[1];
    for (const char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f) {
            fail(400,
                QStringLiteral("The request target has a byte that must be percent-encoded: '%1'")
                    .arg(excerpt(target)));
            return false;
        }
    }
    // An absolute-form target (as sent to a proxy) names this server; keep its path and query.
    const QByteArray lower = target.left(8).toLower();
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
        const qsizetype slash = target.indexOf('/', target.indexOf("//") + 2);
        target = slash < 0 ? QByteArray("/") : target.mid(slash);
    }
    if (!target.startsWith('/') && target != "*") {
        fail(400, QStringLiteral("Invalid request target '%1': it must start with /").arg(excerpt(target)));
        return false;
    }
    m_head.method = parts[0];
    m_head.target = target;
    return true;
}

bool HttpRequestParser::parseHeaderLine(const QByteArray &line)
{
    if (line.startsWith(' ') || line.startsWith('\t')) {
        fail(400, QStringLiteral("Folded header lines are not accepted: '%1'").arg(excerpt(line)));
        return false;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(QByteArrayView(line).first(colon))) {
        fail(400, QStringLiteral("Malformed header line '%1'").arg(excerpt(line)));
        return false;
    }
    const QByteArray value = trimBlanks(line.mid(colon + 1));
    if (!isFieldValue(value)) {
        fail(400,
            QStringLiteral("Header %1 has a control character in its value")
                .arg(QString::fromLatin1(line.left(colon))));
        return false;
    }
    m_head.headers.append({ line.left(colon).toLower(), value });
    return true;
}

bool HttpRequestParser::parseFraming()
{
    QByteArrayList lengths;
    QByteArrayList encodings;
    QByteArrayList connection;
    int hosts = 0;
    for (const auto &[name, value] : std::as_const(m_head.headers)) {
        if (name == "content-length") {
            for (const QByteArray &v : value.split(',')) {
                lengths << trimBlanks(v);
            }
        } else if (name == "transfer-encoding") {
            for (const QByteArray &v : value.split(',')) {
                encodings << trimBlanks(v).toLower();
            }
        } else if (name == "connection") {
            for (const QByteArray &v : value.split(',')) {
                connection << trimBlanks(v).toLower();
            }
        } else if (name == "host") {
            ++hosts;
        } else if (name == "expect") {
            if (value.toLower() != "100-continue") {
                fail(417, QStringLiteral("Expect: %1 is not supported").arg(excerpt(value)));
                return false;
            }
            m_head.expectContinue = true;
        }
    }
    if (m_head.minorVersion == 1 && hosts != 1) {
        fail(400,
            hosts == 0 ? QStringLiteral("An HTTP/1.1 request needs a Host header")
                       : QStringLiteral("A request must have one Host header, not %1").arg(hosts));
        return false;
    }
    // Both framings, or two lengths, are how requests get smuggled past a proxy: refuse, don't guess.
    if (!encodings.isEmpty() && !lengths.isEmpty()) {
        fail(400, QStringLiteral("A request must not have both Content-Length and Transfer-Encoding"));
        return false;
    }
    if (!encodings.isEmpty()) {
        if (encodings != QByteArrayList { "chunked" } || m_head.minorVersion == 0) {
            fail(501,
                QStringLiteral("Transfer-Encoding '%1' is not supported; send chunked (HTTP/1.1) or a "
                               "Content-Length")
                    .arg(excerpt(encodings.join(", "))));
            return false;
        }
        m_head.chunked = true;
    }
    for (const QByteArray &length : std::as_const(lengths)) {
        const bool digits = !length.isEmpty() && length.size() <= 18
            && std::all_of(length.begin(), length.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || length != lengths.first()) {
            fail(400,
                QStringLiteral("Invalid Content-Length '%1': it must be one number of bytes")
                    .arg(excerpt(lengths.join(", "))));
            return false;
        }
    }
    m_head.contentLength = lengths.isEmpty() ? 0 : lengths.first().toLongLong();
    m_head.keepAlive
        = m_head.minorVersion == 1 ? !connection.contains("close") : connection.contains("keep-alive");
    return true;
}

HttpRequestParser::Event HttpRequestParser::bodyPiece(QByteArray *piece, State after)
{
    const qint64 n = qMin<qint64>(m_buffer.size() - m_pos, m_remaining);
    if (n == 0) {
        return Event::NeedMore;
    }
    *piece = m_buffer.mid(m_pos, n);
    m_pos += n;
    m_remaining -= n;
    if (m_remaining == 0) {
        m_state = after;
    }
    return Event::Body;
}

HttpRequestParser::Event HttpRequestParser::chunkSizeLine()
{
    const qsizetype nl = m_buffer.indexOf('\n', m_pos);
    if (nl < 0) {
        return m_buffer.size() - m_pos > MaxChunkSizeLine
            ? fail(400, QStringLiteral("Malformed chunked body: a chunk size line is too long"))
            : Event::NeedMore;
    }
    QByteArray line = withoutCr(m_buffer.mid(m_pos, nl - m_pos));
    if (const qsizetype semicolon = line.indexOf(';'); semicolon >= 0) {
        line.truncate(semicolon); // chunk extensions mean nothing here
    }
    line = trimBlanks(line);
    const bool hex = !line.isEmpty() && line.size() <= 15
        && std::all_of(
            line.begin(), line.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
    if (!hex) {
        return fail(
            400, QStringLiteral("Malformed chunked body: invalid chunk size '%1'").arg(excerpt(line)));
    }
    m_pos = nl + 1;
    m_remaining = line.toLongLong(nullptr, 16);
    m_trailerBytes = 0;
    m_state = m_remaining == 0 ? State::Trailers : State::ChunkData;
    return Event::NeedMore;
}

HttpRequestParser::Event HttpRequestParser::trailerLine()
{
    const qsizetype nl = m_buffer.indexOf('\n', m_pos);
    const qsizetype length = nl < 0 ? m_buffer.size() - m_pos : nl + 1 - m_pos;
    if (m_trailerBytes + length > m_limits.maxHeadBytes) {
        return fail(431,
            QStringLiteral("The request trailers are larger than the limit of %1 bytes")
                .arg(m_limits.maxHeadBytes));
    }
    if (nl < 0) {
        return Event::NeedMore;
    }
    const bool blank = withoutCr(m_buffer.mid(m_pos, nl - m_pos)).isEmpty();
    m_trailerBytes += length;
    m_pos = nl + 1;
    if (blank) {
        m_state = State::Complete; // trailer fields are read past, not used
    }
    return Event::NeedMore;
}

} // namespace codalab::localserver
