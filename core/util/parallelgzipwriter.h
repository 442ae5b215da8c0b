// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QThreadPool>

#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <vector>

class QIODevice;

namespace codalab::util {

/// A gzip stream written on every core, as pigz writes one: the input is cut into blocks that are
/// DEFLATE-compressed independently (libdeflate) on a thread pool, each ended by a sync flush, and joined in
/// order into **one** gzip member whose CRC-32 is combined from the blocks'. Any gunzip reads it, Python's
/// streaming `tarfile` (`r|gz`, which reads only the first member) included.
///
/// A block whose samples do not compress (checkpoints, images, archives) is stored, and one that barely
/// does is compressed at level 1: deflating such data at level 6 costs the most time and saves nothing.
///
/// Not thread-safe: write() and finish() come from one thread, which also writes to the device.
class ParallelGzipWriter
{
public:
    /// `level`: gzip's 1 (fastest) to 9 (0: gzip's default, 6). `threads` <= 0: one per core.
    explicit ParallelGzipWriter(QIODevice *out, int level = 0, int threads = 0);
    ~ParallelGzipWriter();
    ParallelGzipWriter(const ParallelGzipWriter &) = delete;
    ParallelGzipWriter &operator=(const ParallelGzipWriter &) = delete;

    /// Takes bytes of the uncompressed stream; false (and errorString()) once writing to the device failed.
    bool write(const char *data, std::size_t size);
    /// Compresses what is left and writes the end of the stream; false when a write failed.
    bool finish();

    QString errorString() const { return m_error; }
    /// Compressed bytes written to the device so far.
    qint64 bytesWritten() const { return m_written; }

    /// The size of an input block. Large enough that starting each without the previous one's 32 KiB
    /// window costs < 0.5 % of size, small enough that all in flight stay a few MiB.
    static constexpr std::size_t BlockSize = 1024 * 1024;

    struct Block;

private:
    void submit();
    bool drain(bool all);
    bool put(const void *data, std::size_t size);

    QIODevice *m_out;
    int m_level;
    std::size_t m_maxInFlight;
    QThreadPool m_pool;
    std::shared_ptr<Block> m_filling;
    std::deque<std::pair<std::shared_ptr<Block>, std::future<void>>> m_pending;
    std::vector<std::shared_ptr<Block>> m_spare;
    std::uint32_t m_crc = 0;
    std::uint64_t m_inputBytes = 0;
    qint64 m_written = 0;
    bool m_headerWritten = false;
    bool m_finished = false;
    QString m_error;
};

} // namespace codalab::util
