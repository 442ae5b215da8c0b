// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/logdemuxer.h"

#include <QFile>
#include <QRandomGenerator>

#include <catch2/catch.hpp>

using namespace codalab::docker;

namespace {

QByteArray readData(const char *name)
{
    QFile f(QStringLiteral(CODALAB_TEST_DATA "/logframes/") + QLatin1String(name));
    REQUIRE(f.open(QIODevice::ReadOnly));
    return f.readAll();
}

QByteArray frame(quint8 type, const QByteArray &payload)
{
    QByteArray f(8, '\0');
    f[0] = char(type);
    const auto n = quint32(payload.size());
    f[4] = char(n >> 24);
    f[5] = char(n >> 16);
    f[6] = char(n >> 8);
    f[7] = char(n);
    return f + payload;
}

struct Split
{
    QByteArray streams[4];
    int chunks = 0;
};

// Feeds `data` cut at the given sizes (cycled) and gathers each stream.
Split feedInPieces(LogDemuxer &demuxer, const QByteArray &data, const std::function<qsizetype()> &nextSize)
{
    Split s;
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype n = qMin(nextSize(), data.size() - pos);
        for (const LogChunk &c : demuxer.feed(QByteArrayView(data).sliced(pos, n))) {
            s.streams[int(c.stream)].append(c.data);
            ++s.chunks;
        }
        pos += n;
    }
    return s;
}

} // namespace

TEST_CASE("a recorded multiplexed stream splits into the bytes docker logs printed, for any split", "[demux]")
{
    const QByteArray data = readData("mixed.bin");
    const QByteArray expectedOut = readData("expected-stdout.txt");
    const QByteArray expectedErr = readData("expected-stderr.txt");
    REQUIRE(expectedOut.size() > 65536); // a frame larger than any single read

    SECTION("whole")
    {
        LogDemuxer d;
        const Split s = feedInPieces(d, data, [&] { return data.size(); });
        CHECK(s.streams[1] == expectedOut);
        CHECK(s.streams[2] == expectedErr);
        CHECK_FALSE(d.hasError());
        CHECK_FALSE(d.isMidFrame());
    }
    SECTION("one byte at a time")
    {
        LogDemuxer d;
        const Split s = feedInPieces(d, data, [] { return 1; });
        CHECK(s.streams[1] == expectedOut);
        CHECK(s.streams[2] == expectedErr);
        CHECK_FALSE(d.isMidFrame());
    }
    SECTION("random splits")
    {
        auto *rng = QRandomGenerator::global();
        for (int round = 0; round < 200; ++round) {
            LogDemuxer d;
            const int maxPiece = 1 + int(rng->bounded(round < 100 ? 20 : 5000));
            const Split s = feedInPieces(d, data, [&] { return qsizetype(1 + rng->bounded(maxPiece)); });
            REQUIRE(s.streams[1] == expectedOut);
            REQUIRE(s.streams[2] == expectedErr);
            REQUIRE_FALSE(d.isMidFrame());
        }
    }
}

TEST_CASE("payload is handed out as it arrives, not when its frame is complete", "[demux]")
{
    const QByteArray big(100000, 'z');
    const QByteArray data = frame(1, big);
    LogDemuxer d;
    const auto first = d.feed(QByteArrayView(data).first(8 + 10));
    REQUIRE(first.size() == 1);
    CHECK(first.first().data == QByteArray(10, 'z'));
    CHECK(d.isMidFrame());
    const auto rest = d.feed(QByteArrayView(data).sliced(18));
    REQUIRE(rest.size() == 1);
    CHECK(rest.first().data.size() == big.size() - 10);
    CHECK_FALSE(d.isMidFrame());
}

TEST_CASE("stream type 3 carries the daemon's own error, in order with the other streams", "[demux]")
{
    const QByteArray data = readData("system-error.bin");
    for (qsizetype piece : { qsizetype(1), qsizetype(3), qsizetype(7), data.size() }) {
        LogDemuxer d;
        QList<LogChunk> all;
        for (qsizetype pos = 0; pos < data.size(); pos += piece) {
            all += d.feed(QByteArrayView(data).sliced(pos, qMin(piece, data.size() - pos)));
        }
        // Merge consecutive pieces of one stream, as the consumer sees the same bytes either way.
        QList<LogChunk> merged;
        for (const LogChunk &c : all) {
            if (!merged.isEmpty() && merged.last().stream == c.stream) {
                merged.last().data += c.data;
            } else {
                merged.append(c);
            }
        }
        REQUIRE(merged.size() == 3);
        CHECK(merged[0] == LogChunk { LogStreamType::Stdout, "before the error\n" });
        CHECK(merged[1] == LogChunk { LogStreamType::Stderr, "a warning\n" });
        CHECK(merged[2].stream == LogStreamType::SystemError);
        CHECK(merged[2].data.startsWith("error from daemon in stream"));
        CHECK_FALSE(d.hasError());
        CHECK_FALSE(d.isMidFrame()); // the trailing empty frame is complete
    }
}

TEST_CASE("a TTY stream is raw stdout and is never parsed as frames", "[demux]")
{
    const QByteArray data = readData("tty.bin");
    LogDemuxer d(LogDemuxer::Mode::Raw);
    QByteArray out;
    for (char c : data) {
        for (const LogChunk &chunk : d.feed(QByteArrayView(&c, 1))) {
            CHECK(chunk.stream == LogStreamType::Stdout);
            out += chunk.data;
        }
    }
    CHECK(out == "tty out\r\ntty err\r\n");
    CHECK_FALSE(d.hasError());
}

TEST_CASE("a raw stream read as multiplexed is refused instead of mangled", "[demux]")
{
    LogDemuxer d;
    const auto chunks = d.feed(readData("tty.bin"));
    CHECK(chunks.isEmpty());
    REQUIRE(d.hasError());
    CHECK(d.errorString().contains(QLatin1String("not a multiplexed stream")));
    CHECK(d.feed(frame(1, "more")).isEmpty()); // nothing after an error
}

TEST_CASE("a stream cut inside a header or a payload is reported as mid-frame", "[demux]")
{
    const QByteArray data = frame(2, "hello") + frame(1, "world");
    LogDemuxer insideHeader;
    insideHeader.feed(QByteArrayView(data).first(13 + 3));
    CHECK(insideHeader.isMidFrame());
    LogDemuxer insidePayload;
    const auto chunks = insidePayload.feed(QByteArrayView(data).first(13 + 8 + 2));
    CHECK(insidePayload.isMidFrame());
    REQUIRE(chunks.size() == 2);
    CHECK(chunks[1] == LogChunk { LogStreamType::Stdout, "wo" });
}
