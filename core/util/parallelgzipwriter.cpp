// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/parallelgzipwriter.h"

#include "util/deflateblockscanner.h"

#include <QIODevice>
#include <QThread>

#include <algorithm>
#include <array>
#include <cstring>
#include <libdeflate.h>
#include <zlib.h>

namespace codalab::util {

struct ParallelGzipWriter::Block
{
    std::vector<std::uint8_t> input;
    std::vector<std::uint8_t> output;
    std::uint32_t crc = 0;
};

namespace {

// One libdeflate compressor per level and pool thread, kept for the thread's life: allocating one costs
// more than compressing a small block.
libdeflate_compressor *compressorFor(int level)
{
    struct Compressors
    {
        std::array<libdeflate_compressor *, 13> byLevel {};
        ~Compressors()
        {
            for (libdeflate_compressor *c : byLevel) {
                libdeflate_free_compressor(c);
            }
        }
    };
    thread_local Compressors compressors;
    libdeflate_compressor *&c = compressors.byLevel[std::size_t(level)];
    if (!c) {
        c = libdeflate_alloc_compressor(level);
    }
    return c;
}

// What deflating the block is worth, judged on a few samples compressed at level 1: the level to use,
// 0 for storing it.
int levelFor(const std::vector<std::uint8_t> &input, int level)
{
    constexpr std::size_t sampleSize = 4096;
    constexpr std::size_t samples = 4;
    if (level <= 1 || input.size() < samples * sampleSize * 2) {
        return level;
    }
    std::array<std::uint8_t, sampleSize + 512> scratch;
    libdeflate_compressor *fast = compressorFor(1);
    std::size_t compressed = 0;
    for (std::size_t i = 0; i < samples; ++i) {
        const std::size_t offset = (input.size() - sampleSize) * i / (samples - 1);
        const std::size_t n = libdeflate_deflate_compress(
            fast, input.data() + offset, sampleSize, scratch.data(), scratch.size());
        compressed += n == 0 ? sampleSize : n;
    }
    const double ratio = double(compressed) / double(samples * sampleSize);
    if (ratio >= 0.97) {
        return 0; // random-looking: gzip -6 would save < 1 %
    }
    return ratio >= 0.9 ? 1 : level;
}

// Non-final stored blocks (RFC 1951 3.2.4): byte-aligned, so the next block follows directly.
void store(const std::vector<std::uint8_t> &input, std::vector<std::uint8_t> &output)
{
    output.clear();
    output.reserve(input.size() + (input.size() / 65535 + 1) * 5);
    for (std::size_t at = 0; at < input.size();) {
        const std::size_t n = std::min<std::size_t>(65535, input.size() - at);
        const std::uint8_t header[5] = { 0x00, std::uint8_t(n & 0xff), std::uint8_t(n >> 8),
            std::uint8_t(~n & 0xff), std::uint8_t((~n >> 8) & 0xff) };
        output.insert(output.end(), header, header + 5);
        output.insert(
            output.end(), input.begin() + std::ptrdiff_t(at), input.begin() + std::ptrdiff_t(at + n));
        at += n;
    }
}

// libdeflate's stream for the block, turned into a non-final one that ends byte-aligned: its final
// block's BFINAL bit cleared, the bits after its end-of-block code zeroed, then an empty stored block (a
// sync flush, as zlib's Z_SYNC_FLUSH writes it).
bool deflateBlock(const std::vector<std::uint8_t> &input, std::vector<std::uint8_t> &output, int level)
{
    libdeflate_compressor *c = compressorFor(level);
    output.resize(libdeflate_deflate_compress_bound(c, input.size()) + 5);
    const std::size_t n
        = libdeflate_deflate_compress(c, input.data(), input.size(), output.data(), output.size());
    const auto ends = n == 0 ? std::nullopt : DeflateBlockScanner::scan(output.data(), n);
    if (!ends) {
        return false;
    }
    output[ends->finalBlockBit >> 3] &= std::uint8_t(~(1u << (ends->finalBlockBit & 7)));
    std::size_t bytes = std::size_t((ends->endBit + 7) >> 3);
    const int used = int(ends->endBit & 7);
    if (used != 0) {
        output[bytes - 1] &= std::uint8_t((1u << used) - 1);
    }
    // The stored block's three header bits go into the last byte's spare bits if three are spare.
    if (used == 0 || used > 5) {
        output[bytes++] = 0x00;
    }
    const std::uint8_t lengths[4] = { 0x00, 0x00, 0xff, 0xff };
    std::memcpy(output.data() + bytes, lengths, 4);
    output.resize(bytes + 4);
    return true;
}

void compress(ParallelGzipWriter::Block &block, int level)
{
    block.crc = std::uint32_t(libdeflate_crc32(0, block.input.data(), block.input.size()));
    const int chosen = levelFor(block.input, level);
    if (chosen == 0 || !deflateBlock(block.input, block.output, chosen)) {
        store(block.input, block.output);
    }
}

} // namespace

ParallelGzipWriter::ParallelGzipWriter(QIODevice *out, int level, int threads)
    : m_out(out)
    , m_level(level <= 0 ? 6 : std::clamp(level, 1, 9))
{
    const int count = threads > 0 ? threads : std::max(1, QThread::idealThreadCount());
    m_pool.setMaxThreadCount(count);
    // Two blocks per thread keep every thread busy while the writer waits on the oldest; the cap keeps a
    // many-core machine's memory at tens of MiB.
    m_maxInFlight = std::size_t(std::min(2 * count, 24));
}

ParallelGzipWriter::~ParallelGzipWriter()
{
    m_pool.waitForDone(); // the tasks hold their blocks, but not past this object
}

bool ParallelGzipWriter::put(const void *data, std::size_t size)
{
    if (!m_error.isEmpty()) {
        return false;
    }
    if (m_out->write(static_cast<const char *>(data), qint64(size)) != qint64(size)) {
        m_error = m_out->errorString();
        if (m_error.isEmpty()) {
            m_error = QStringLiteral("the output took fewer bytes than written");
        }
        return false;
    }
    m_written += qint64(size);
    return true;
}

bool ParallelGzipWriter::write(const char *data, std::size_t size)
{
    if (!m_error.isEmpty()) {
        return false;
    }
    if (!m_headerWritten) {
        // ID1 ID2, deflate, no flags, no mtime, no extra flags, OS = Unix: as `gzip -c < file` writes it.
        const std::uint8_t header[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
        m_headerWritten = true;
        if (!put(header, sizeof header)) {
            return false;
        }
    }
    while (size > 0) {
        if (!m_filling) {
            if (m_spare.empty()) {
                m_filling = std::make_shared<Block>();
                m_filling->input.reserve(BlockSize);
            } else {
                m_filling = std::move(m_spare.back());
                m_spare.pop_back();
                m_filling->input.clear();
            }
        }
        const std::size_t n = std::min(size, BlockSize - m_filling->input.size());
        m_filling->input.insert(m_filling->input.end(), data, data + n);
        data += n;
        size -= n;
        if (m_filling->input.size() == BlockSize) {
            submit();
            if (!drain(false)) {
                return false;
            }
        }
    }
    return true;
}

void ParallelGzipWriter::submit()
{
    std::shared_ptr<Block> block = std::move(m_filling);
    m_inputBytes += block->input.size();
    auto task
        = std::make_shared<std::packaged_task<void()>>([block, level = m_level] { compress(*block, level); });
    m_pending.emplace_back(block, task->get_future());
    m_pool.start([task] { (*task)(); });
}

bool ParallelGzipWriter::drain(bool all)
{
    while (!m_pending.empty()) {
        auto &[block, done] = m_pending.front();
        const bool mustWait = all || m_pending.size() >= m_maxInFlight;
        if (!mustWait && done.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
            return true;
        }
        done.get();
        m_crc = std::uint32_t(crc32_combine(m_crc, block->crc, z_off_t(block->input.size())));
        const bool ok = put(block->output.data(), block->output.size());
        m_spare.push_back(std::move(block));
        m_pending.pop_front();
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool ParallelGzipWriter::finish()
{
    if (m_finished) {
        return m_error.isEmpty();
    }
    m_finished = true;
    if (!write(nullptr, 0)) {
        return false;
    }
    if (m_filling && !m_filling->input.empty()) {
        submit();
    }
    if (!drain(true)) {
        return false;
    }
    // An empty final block with fixed codes (zlib's Z_FINISH writes the same two bytes), then the trailer:
    // CRC-32 and the input size mod 2^32, little-endian.
    const std::uint32_t size = std::uint32_t(m_inputBytes);
    const std::uint8_t tail[10] = { 0x03, 0x00, std::uint8_t(m_crc), std::uint8_t(m_crc >> 8),
        std::uint8_t(m_crc >> 16), std::uint8_t(m_crc >> 24), std::uint8_t(size), std::uint8_t(size >> 8),
        std::uint8_t(size >> 16), std::uint8_t(size >> 24) };
    return put(tail, sizeof tail);
}

} // namespace codalab::util
