// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/linescanner.h"

#include <QStringDecoder>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace codalab::worker {

namespace {

constexpr qint64 ChunkSize = 256 * 1024;

} // namespace

LineScanner::LineScanner(int fd, qint64 size)
    : m_fd(fd)
    , m_size(size)
{ }

LineScanner::Forward LineScanner::forward(qint64 from, qint64 to, qint64 n)
{
    Forward result;
    for (qint64 pos = from; pos < to && result.count < n;) {
        const qint64 got = read(pos, qMin(ChunkSize, to - pos));
        if (got <= 0) {
            break;
        }
        for (const char *p = m_buffer.constData(), *end = p + got;
             (p = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p))));) {
            result.afterLast = pos + (++p - m_buffer.constData());
            if (++result.count == n) {
                result.afterNth = result.afterLast;
                break;
            }
        }
        pos += got;
    }
    return result;
}

qint64 LineScanner::lastLinesStart(qint64 floor, qint64 lines, bool endsWithNewline)
{
    const qint64 needed = lines + (endsWithNewline ? 1 : 0);
    qint64 seen = 0;
    for (qint64 pos = m_size; pos > floor;) {
        const qint64 start = pos - qMin(ChunkSize, pos - floor);
        const qint64 got = read(start, pos - start);
        if (got < pos - start) {
            return floor;
        }
        for (qint64 i = got - 1; i >= 0; --i) {
            if (m_buffer.at(i) == '\n' && ++seen == needed) {
                return start + i + 1;
            }
        }
        pos = start;
    }
    return floor;
}

bool LineScanner::endsWithNewline()
{
    return m_size > 0 && read(m_size - 1, 1) == 1 && m_buffer.at(0) == '\n';
}

bool LineScanner::isUtf8(qint64 from, qint64 to)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    for (qint64 pos = from; pos < to;) {
        const qint64 got = read(pos, qMin(ChunkSize, to - pos));
        if (got <= 0) {
            break;
        }
        [[maybe_unused]] const QString text = decoder.decode(QByteArrayView(m_buffer.constData(), got));
        pos += got;
    }
    // A newline completes nothing: a sequence left open at `to` counts as an error.
    [[maybe_unused]] const QString rest = decoder.decode(QByteArrayView("\n"));
    return !decoder.hasError();
}

qint64 LineScanner::read(qint64 offset, qint64 length)
{
    m_buffer.resize(length);
    ssize_t n;
    do {
        n = ::pread(m_fd, m_buffer.data(), size_t(length), offset);
    } while (n < 0 && errno == EINTR);
    return n;
}

} // namespace codalab::worker
