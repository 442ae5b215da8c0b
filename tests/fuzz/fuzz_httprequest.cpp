// SPDX-License-Identifier: GPL-3.0-or-later
// The local server's HTTP request parser on any byte stream, fed whole, a byte at a time and in pieces the
// fuzzer chooses. Properties: events come in order (Head, then Body pieces, then End; Error is final and
// says a 4xx or 5xx status), body bytes never exceed the Content-Length or what was sent, nothing is left
// buffered when it asks for more, the head stays within its limits, and however the stream is split the
// same requests come out with the same bodies and the same outcome (an error or not).
//
// Input: byte 0 picks the limits (bit 0: tiny ones, so that 414 and 431 are reached) and byte 1 seeds the
// split; the rest is the stream. Seeds in corpus/httprequest/ are requests with these two bytes in front.
#include "fuzzsupport.h"
#include "localserver/httprequestparser.h"

using codalab::fuzz::check;
using codalab::localserver::HttpHeadLimits;
using codalab::localserver::HttpRequestParser;

namespace {

struct Outcome
{
    QByteArrayList requests; ///< one line per complete request: method, target, framing, body
    bool error = false;
    bool between = false; ///< the stream stopped between requests

    bool operator==(const Outcome &o) const = default;
};

QString describe(const Outcome &o)
{
    return QStringLiteral("error %1, between %2, requests:\n  %3")
        .arg(o.error)
        .arg(o.between)
        .arg(QString::fromLatin1(o.requests.join("\n  ").toPercentEncoding(" /?:[]\n")));
}

Outcome parse(QByteArrayView stream, const HttpHeadLimits &limits, int split, quint32 seed)
{
    HttpRequestParser parser(limits);
    Outcome out;
    bool inRequest = false;
    QByteArray body;
    qint64 sent = 0;
    qsizetype pos = 0;
    while (pos < stream.size() && !out.error) {
        qsizetype piece = stream.size();
        if (split == 1) {
            piece = 1;
        } else if (split == 2) {
            seed = seed * 1103515245u + 12345u;
            piece = qsizetype((seed >> 16) & 31);
        }
        piece = qMin(piece, stream.size() - pos);
        parser.append(stream.sliced(pos, piece).toByteArray());
        pos += piece;
        sent += piece;
        for (;;) {
            QByteArray bytes;
            const HttpRequestParser::Event e = parser.next(&bytes);
            const auto &head = parser.head();
            if (e == HttpRequestParser::Event::NeedMore) {
                check(parser.buffered() == 0, "everything appended is parsed before more is asked for");
                break;
            }
            if (e == HttpRequestParser::Event::Error) {
                check(parser.errorStatus() >= 400 && parser.errorStatus() <= 599, "an error is a 4xx or 5xx",
                    QString::number(parser.errorStatus()));
                check(!parser.errorMessage().isEmpty(), "an error says what is wrong");
                check(!parser.betweenRequests(), "an error is not between requests");
                out.error = true;
                break;
            }
            if (e == HttpRequestParser::Event::Head) {
                check(!inRequest, "a Head comes only between requests");
                check(head.headers.size() <= limits.maxHeaderCount, "no more headers than the limit");
                check(head.target.size() <= limits.maxRequestLine, "no longer target than the limit");
                check(head.target.startsWith('/') || head.target == "*", "the target is origin-form");
                check(head.minorVersion == 0 || head.minorVersion == 1, "HTTP/1.0 or HTTP/1.1");
                check(head.contentLength >= 0 && !(head.chunked && head.contentLength > 0),
                    "one framing: a Content-Length or chunked");
                inRequest = true;
                body.clear();
            } else if (e == HttpRequestParser::Event::Body) {
                check(inRequest, "a Body comes after a Head");
                check(!bytes.isEmpty(), "a Body piece has bytes");
                body += bytes;
                check(body.size() <= sent, "no more body than was sent");
                check(head.chunked || body.size() <= head.contentLength, "no more body than Content-Length");
            } else {
                check(inRequest, "an End comes after a Head");
                check(head.chunked || body.size() == head.contentLength, "a body as long as Content-Length");
                inRequest = false;
                out.requests << head.method + ' ' + head.target + (head.chunked ? " chunked " : " length ")
                        + (head.keepAlive ? "keep-alive [" : "close [") + body + ']';
            }
        }
    }
    if (out.error) {
        // Final: more bytes change nothing.
        parser.append("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        QByteArray bytes;
        check(parser.next(&bytes) == HttpRequestParser::Event::Error, "an Error is final");
    }
    out.between = !out.error && !inRequest && parser.betweenRequests();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    HttpHeadLimits limits;
    if (data[0] & 1) {
        limits = { 48, 160, 4 };
    }
    const quint32 seed = data[1] | 0x100u;
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    const Outcome whole = parse(stream, limits, 0, seed);
    for (int split = 1; split < 3; ++split) {
        const Outcome got = parse(stream, limits, split, seed);
        // Which check fires first may depend on where the pieces end (so the status may differ), but not
        // whether the stream is refused, nor what came before.
        check(got == whole, "the same requests and outcome however the stream is split",
            QStringLiteral("split %1\n got: %2\nwant: %3").arg(split).arg(describe(got), describe(whole)));
    }
    return 0;
}
