// SPDX-License-Identifier: GPL-3.0-or-later
// The Docker log demultiplexer on any byte stream, fed in pieces the fuzzer chooses, checked against a
// straightforward whole-stream decoder of the frame format (LogDemuxer's header comment): the same bytes
// per stream in the same order whatever the split, an error exactly when a header cannot be one, and
// "mid-frame" exactly when the stream stops inside a header or a payload.
//
// Input: byte 0 picks the mode (bit 0: raw) and byte 1 seeds the split; the rest is the stream. Seeds in
// corpus/logdemuxer/ are recorded streams with these two bytes in front.
#include "docker/logdemuxer.h"
#include "fuzzsupport.h"

using codalab::docker::LogChunk;
using codalab::docker::LogDemuxer;
using codalab::docker::LogStreamType;
using codalab::fuzz::check;

namespace {

struct Decoded
{
    QList<LogChunk> chunks; ///< adjacent chunks of one stream merged, empty ones dropped
    bool error = false;
    bool midFrame = false;
};

void append(QList<LogChunk> *out, const LogChunk &chunk)
{
    if (chunk.data.isEmpty()) {
        return;
    }
    if (!out->isEmpty() && out->last().stream == chunk.stream) {
        out->last().data.append(chunk.data);
    } else {
        out->append(chunk);
    }
}

Decoded reference(QByteArrayView stream, bool raw)
{
    Decoded d;
    if (raw) {
        append(&d.chunks, { LogStreamType::Stdout, stream.toByteArray() });
        return d;
    }
    qsizetype pos = 0;
    while (pos < stream.size()) {
        if (stream.size() - pos < 8) {
            d.midFrame = true;
            break;
        }
        const auto *h = reinterpret_cast<const uchar *>(stream.data() + pos);
        if (h[0] > 3 || h[1] != 0 || h[2] != 0 || h[3] != 0) {
            d.error = true;
            break;
        }
        const quint32 size = (quint32(h[4]) << 24) | (quint32(h[5]) << 16) | (quint32(h[6]) << 8) | h[7];
        pos += 8;
        const qsizetype take = qMin<qsizetype>(qsizetype(size), stream.size() - pos);
        append(&d.chunks, { LogStreamType(h[0]), stream.sliced(pos, take).toByteArray() });
        pos += take;
        d.midFrame = take < qsizetype(size);
    }
    return d;
}

QString describe(const Decoded &d)
{
    QString s = QStringLiteral("error %1, mid-frame %2, chunks:").arg(d.error).arg(d.midFrame);
    for (const LogChunk &c : d.chunks) {
        s += QStringLiteral(" %1:%2").arg(int(c.stream)).arg(c.data.size());
    }
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    const bool raw = data[0] & 1;
    quint32 seed = data[1] | 0x100u;
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    const Decoded expected = reference(stream, raw);

    // Whole, one byte at a time, and in pieces of 0 to 15 bytes from a little generator the seed drives
    // (empty feeds included: they must change nothing).
    for (int split = 0; split < 3; ++split) {
        LogDemuxer demuxer(raw ? LogDemuxer::Mode::Raw : LogDemuxer::Mode::Multiplexed);
        Decoded got;
        qsizetype pos = 0;
        while (pos < stream.size()) {
            qsizetype piece = stream.size();
            if (split == 1) {
                piece = 1;
            } else if (split == 2) {
                seed = seed * 1103515245u + 12345u;
                piece = qsizetype((seed >> 16) & 15);
            }
            piece = qMin(piece, stream.size() - pos);
            const bool hadError = demuxer.hasError();
            const QList<LogChunk> chunks = demuxer.feed(stream.sliced(pos, piece));
            check(!hadError || chunks.isEmpty(), "nothing comes out after an error");
            for (const LogChunk &c : chunks) {
                check(c.stream != LogStreamType::Stdin || !raw, "raw mode is all stdout");
                append(&got.chunks, c);
            }
            pos += piece;
        }
        got.error = demuxer.hasError();
        got.midFrame = !got.error && demuxer.isMidFrame();
        check(got.error == demuxer.hasError() && got.error == !demuxer.errorString().isEmpty(),
            "hasError() and errorString() agree");
        Decoded want = expected;
        want.midFrame = !want.error && want.midFrame;
        check(got.chunks == want.chunks && got.error == want.error && got.midFrame == want.midFrame,
            "the demuxer agrees with the whole-stream decoder",
            QStringLiteral("split %1\n got: %2\nwant: %3").arg(split).arg(describe(got), describe(want)));
    }
    return 0;
}
