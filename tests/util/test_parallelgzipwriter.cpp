// SPDX-License-Identifier: GPL-3.0-or-later
// The parallel gzip writer: the block scanner on streams whose block ends are known, one gzip member that
// zlib, gzip and Python's streaming tarfile read whole, stored incompressible blocks, and write failures.
#include "util/deflateblockscanner.h"
#include "util/parallelgzipwriter.h"
#include "util/targzwriter.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <catch2/catch.hpp>
#include <zlib.h>

using codalab::util::DeflateBlockScanner;
using codalab::util::ParallelGzipWriter;
using codalab::util::TarGzWriter;

namespace {

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    for (qsizetype i = 0; i < size; ++i) {
        bytes[i] = char(generator.generate() & 0xff);
    }
    return bytes;
}

QByteArray logText(qsizetype size)
{
    QByteArray text;
    for (int step = 0; text.size() < size; ++step) {
        text += QStringLiteral("step %1 loss %2 accuracy %3 lr 0.0003\n")
                    .arg(step)
                    .arg(1.0 / (step + 1), 0, 'f', 6)
                    .arg((step * 37 % 1000) / 1000.0, 0, 'f', 4)
                    .toUtf8();
    }
    text.truncate(size);
    return text;
}

// A raw DEFLATE stream from zlib: `data`, then, if `syncFirst`, a sync flush before the final block.
QByteArray zlibDeflate(const QByteArray &data, int level, int strategy, bool syncFirst, qsizetype *syncedSize)
{
    z_stream z {};
    REQUIRE(deflateInit2(&z, level, Z_DEFLATED, -15, 8, strategy) == Z_OK);
    QByteArray out(int(deflateBound(&z, uLong(data.size()))) + 64, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    if (syncFirst) {
        REQUIRE(deflate(&z, Z_SYNC_FLUSH) == Z_OK);
        *syncedSize = qsizetype(z.total_out);
    }
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.truncate(qsizetype(z.total_out));
    deflateEnd(&z);
    return out;
}

// zlib's inflate of a raw (-15) or gzip (31) stream; a failure or trailing garbage fails the test.
QByteArray inflateAll(const QByteArray &stream, int windowBits)
{
    z_stream z {};
    REQUIRE(inflateInit2(&z, windowBits) == Z_OK);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(stream.constData()));
    z.avail_in = uInt(stream.size());
    QByteArray out;
    char buffer[65536];
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef *>(buffer);
        z.avail_out = sizeof buffer;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buffer, qsizetype(sizeof buffer - z.avail_out));
    }
    inflateEnd(&z);
    REQUIRE(rc == Z_STREAM_END);
    CHECK(z.avail_in == 0);
    return out;
}

QByteArray gzipInParallel(const QByteArray &input, int threads, qsizetype piece = 100000, int level = 0)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    ParallelGzipWriter writer(&buffer, level, threads);
    bool written = true;
    for (qsizetype at = 0; at < input.size() && written; at += piece) {
        written = writer.write(input.constData() + at, std::size_t(qMin(piece, input.size() - at)));
    }
    REQUIRE(written);
    REQUIRE(writer.finish());
    CHECK(writer.bytesWritten() == buffer.data().size());
    return buffer.data();
}

// A device that fails once `limit` bytes are written, as a full disk or a closed pipe does.
class FailingDevice : public QIODevice
{
public:
    explicit FailingDevice(qint64 limit)
        : m_limit(limit)
    {
        open(QIODevice::WriteOnly);
    }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *, qint64 size) override
    {
        if (m_written + size > m_limit) {
            setErrorString(QStringLiteral("No space left on device"));
            return -1;
        }
        m_written += size;
        return size;
    }

private:
    qint64 m_limit;
    qint64 m_written = 0;
};

} // namespace

TEST_CASE("the block scanner finds a zlib stream's final block exactly", "[gzip][scanner]")
{
    const QByteArray data = logText(300000) + randomBytes(70000, 7) + logText(5000);
    struct Variant
    {
        int level;
        int strategy;
    };
    // Stored, fixed-Huffman, Huffman-only and dynamic blocks.
    for (const Variant v :
        { Variant { 0, Z_DEFAULT_STRATEGY }, Variant { 6, Z_FIXED }, Variant { 6, Z_HUFFMAN_ONLY },
            Variant { 1, Z_DEFAULT_STRATEGY }, Variant { 9, Z_DEFAULT_STRATEGY } }) {
        CAPTURE(v.level, v.strategy);
        // After a sync flush, Z_FINISH with nothing left writes an empty fixed block: bytes 03 00.
        qsizetype synced = 0;
        const QByteArray stream = zlibDeflate(data, v.level, v.strategy, true, &synced);
        const auto ends = DeflateBlockScanner::scan(
            reinterpret_cast<const std::uint8_t *>(stream.constData()), std::size_t(stream.size()));
        REQUIRE(ends);
        CHECK(ends->finalBlockBit == std::uint64_t(synced) * 8);
        // (At level 0 zlib ends with an empty stored block instead: 01 00 00 ff ff.)
        const qsizetype finalBytes = v.level == 0 ? 5 : 2;
        CHECK(ends->endBit == std::uint64_t(synced) * 8 + (v.level == 0 ? 40 : 10));
        CHECK(stream.size() == synced + finalBytes);

        // A final block with data in it: cleared and continued, the stream inflates to both parts.
        QByteArray whole = zlibDeflate(data, v.level, v.strategy, false, &synced);
        const auto last = DeflateBlockScanner::scan(
            reinterpret_cast<const std::uint8_t *>(whole.constData()), std::size_t(whole.size()));
        REQUIRE(last);
        CHECK(last->endBit <= std::uint64_t(whole.size()) * 8);
        CHECK(last->endBit > std::uint64_t(whole.size() - 1) * 8);
        CHECK((whole[qsizetype(last->finalBlockBit / 8)] >> (last->finalBlockBit % 8) & 1) == 1);
        whole[qsizetype(last->finalBlockBit / 8)]
            = char(whole[qsizetype(last->finalBlockBit / 8)] & ~(1 << (last->finalBlockBit % 8)));
        // The rest of the last byte is zero (zlib pads with zeros): an empty stored block needs 3 bits.
        if (last->endBit % 8 == 0 || last->endBit % 8 > 5) {
            whole.append('\0');
        }
        whole.append(QByteArray::fromHex("0000ffff"));
        whole.append(zlibDeflate("tail", 6, Z_DEFAULT_STRATEGY, false, &synced));
        CHECK(inflateAll(whole, -15) == data + "tail");

        // Cut short, it is not a stream.
        CHECK_FALSE(DeflateBlockScanner::scan(
            reinterpret_cast<const std::uint8_t *>(stream.constData()), std::size_t(stream.size() - 1)));
    }
    const std::uint8_t reservedType[] = { 0x07, 0x00 };
    CHECK_FALSE(DeflateBlockScanner::scan(reservedType, sizeof reservedType));
    const std::uint8_t badStoredLength[] = { 0x01, 0x02, 0x00, 0xfd, 0xfe, 'a', 'b' }; // NLEN != ~LEN
    CHECK_FALSE(DeflateBlockScanner::scan(badStoredLength, sizeof badStoredLength));
    const std::uint8_t goodStored[] = { 0x01, 0x02, 0x00, 0xfd, 0xff, 'a', 'b' };
    const auto stored = DeflateBlockScanner::scan(goodStored, sizeof goodStored);
    REQUIRE(stored);
    CHECK(stored->finalBlockBit == 0);
    CHECK(stored->endBit == 7 * 8);
    CHECK_FALSE(DeflateBlockScanner::scan(nullptr, 0));
}

TEST_CASE("the parallel writer makes one gzip member that inflates to the input", "[gzip]")
{
    const qsizetype block = qsizetype(ParallelGzipWriter::BlockSize);
    const QByteArray mixed = logText(2 * block + 4321) + randomBytes(block + 17, 3) + logText(block / 2);
    for (const qsizetype size :
        { qsizetype(0), qsizetype(1), qsizetype(1000), block - 1, block, block + 1, mixed.size() }) {
        for (const int threads : { 1, 2, 4 }) {
            CAPTURE(size, threads);
            const QByteArray input = mixed.left(size);
            const QByteArray gz = gzipInParallel(input, threads);
            REQUIRE(gz.size() >= 20);
            CHECK(gz.left(4) == QByteArray::fromHex("1f8b0800"));
            // zlib stops at the first member's end: everything must be in that one member.
            CHECK(inflateAll(gz, 31) == input);
        }
    }
    // The same bytes in pieces of any size make the same stream; the thread count does not change it either.
    CHECK(gzipInParallel(mixed, 2, 1) == gzipInParallel(mixed, 3, 999999));
}

TEST_CASE("incompressible blocks are stored, text is compressed like gzip -6", "[gzip]")
{
    const QByteArray random = randomBytes(3 * qsizetype(ParallelGzipWriter::BlockSize) + 5, 11);
    const QByteArray gzRandom = gzipInParallel(random, 2);
    CHECK(inflateAll(gzRandom, 31) == random);
    // Stored: 5 bytes per 64 KiB, and gzip's 18 + the final block's 2.
    CHECK(gzRandom.size() <= random.size() + (random.size() / 65535 + 4) * 5 + 20 + 16);
    CHECK(gzRandom.size() >= random.size());

    const QByteArray text = logText(4 * qsizetype(ParallelGzipWriter::BlockSize));
    const QByteArray gzText = gzipInParallel(text, 2);
    CHECK(inflateAll(gzText, 31) == text);
    // zlib's level 6 over the whole text at once: the independent blocks cost at most a few per cent.
    uLongf zlibSize = compressBound(uLong(text.size()));
    QByteArray zlibOut(qsizetype(zlibSize), Qt::Uninitialized);
    REQUIRE(compress2(reinterpret_cast<Bytef *>(zlibOut.data()), &zlibSize,
                reinterpret_cast<const Bytef *>(text.constData()), uLong(text.size()), 6)
        == Z_OK);
    CHECK(double(gzText.size()) < double(zlibSize) * 1.05);
    CHECK(gzText.size() < text.size() / 5);
}

TEST_CASE("a failed write stops the writer with the device's reason", "[gzip]")
{
    const QByteArray text = logText(3 * qsizetype(ParallelGzipWriter::BlockSize));
    FailingDevice device(5000);
    ParallelGzipWriter writer(&device, 0, 2);
    bool ok = writer.write(text.constData(), std::size_t(text.size()));
    ok = ok && writer.finish();
    CHECK_FALSE(ok);
    CHECK(writer.errorString() == QStringLiteral("No space left on device"));
    CHECK_FALSE(writer.write("more", 4)); // and it stays stopped

    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("big.log")));
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(text);
    file.close();
    FailingDevice full(5000);
    const auto result = TarGzWriter::write(dir.path(), &full, {});
    CHECK_FALSE(result.ok);
    CHECK(result.error.contains(QStringLiteral("No space left on device")));
}

TEST_CASE("Python's streaming tarfile and gzip read the packed tree whole", "[gzip][python]")
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    const QString gzip = QStandardPaths::findExecutable(QStringLiteral("gzip"));
    REQUIRE_FALSE(python.isEmpty()); // scripts/install-deps.sh installs it
    QTemporaryDir source;
    const QString root = source.filePath(QStringLiteral("run"));
    REQUIRE(QDir().mkpath(root + QStringLiteral("/logs")));
    REQUIRE(QDir().mkpath(root + QStringLiteral("/empty")));
    const QList<QPair<QString, QByteArray>> files {
        { QStringLiteral("checkpoint.bin"),
            randomBytes(2 * qsizetype(ParallelGzipWriter::BlockSize) + 3, 5) },
        { QStringLiteral("logs/train.log"), logText(3 * qsizetype(ParallelGzipWriter::BlockSize) + 77) },
        { QStringLiteral("small.txt"), QByteArray("hello\n") },
        { QStringLiteral("zero"), QByteArray() },
    };
    QStringList expected;
    for (const auto &[name, content] : files) {
        QFile file(root + QLatin1Char('/') + name);
        REQUIRE(file.open(QIODevice::WriteOnly));
        REQUIRE(file.write(content) == content.size());
        expected << QStringLiteral("./%1 %2 %3")
                        .arg(name)
                        .arg(content.size())
                        .arg(QString::fromLatin1(
                            QCryptographicHash::hash(content, QCryptographicHash::Md5).toHex()));
    }
    REQUIRE(QFile::link(QStringLiteral("small.txt"), root + QStringLiteral("/link")));
    expected << QStringLiteral("./link -> small.txt") << QStringLiteral("./empty/")
             << QStringLiteral("./logs/") << QStringLiteral("./");
    expected.sort();

    const QString archive = source.filePath(QStringLiteral("run.tar.gz"));
    QFile out(archive);
    REQUIRE(out.open(QIODevice::WriteOnly));
    TarGzWriter::Options options;
    options.threads = 2;
    const auto result = TarGzWriter::write({ TarGzWriter::Member { root, QString() } }, &out, options);
    out.close();
    REQUIRE(result.ok);

    // As the upstream server reads an upload: tarfile.open(fileobj=..., mode='r|gz'), one pass, no seeking.
    const QString script = QStringLiteral(R"(
import hashlib, sys, tarfile
with open(sys.argv[1], 'rb') as f, tarfile.open(fileobj=f, mode='r|gz') as t:
    for m in t:
        if m.isfile():
            print(m.name, m.size, hashlib.md5(t.extractfile(m).read()).hexdigest())
        elif m.issym():
            print(m.name, '->', m.linkname)
        else:
            print(m.name.rstrip('/') + '/')
)");
    QProcess py;
    py.start(python, { QStringLiteral("-c"), script, archive });
    REQUIRE(py.waitForFinished(60000));
    INFO(py.readAllStandardError().toStdString());
    REQUIRE(py.exitCode() == 0);
    QStringList listed
        = QString::fromUtf8(py.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    listed.sort();
    CHECK(listed == expected);

    if (!gzip.isEmpty()) {
        QProcess test;
        test.start(gzip, { QStringLiteral("-t"), archive });
        REQUIRE(test.waitForFinished(60000));
        CHECK(test.exitCode() == 0);
    }
}
