// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace codalab::worker {

/// Scans an open file for newlines, and checks ranges of it for UTF-8, with pread in chunks: never more than
/// one chunk of the file in memory, and the file's own offset untouched.
///
/// Usage: construct it with a descriptor open for reading (which must outlive the scanner) and the size
/// to treat as the file's end, then ask; a read error ends a scan early, as if the file ended there.
class LineScanner
{
public:
    LineScanner(int fd, qint64 size);

    struct Forward
    {
        qint64 count = 0; ///< newlines seen, at most `n`
        qint64 afterNth = -1; ///< offset just past the n-th newline, -1 when there are fewer
        qint64 afterLast = -1; ///< offset just past the last newline seen
    };
    /// Newlines in [from, to), stopping at the n-th.
    Forward forward(qint64 from, qint64 to, qint64 n);
    /// Where the last `lines` lines in [floor, size) begin, a final newline ending the last line; `floor`
    /// when there are fewer.
    qint64 lastLinesStart(qint64 floor, qint64 lines, bool endsWithNewline);
    bool endsWithNewline();
    /// Whether bytes [from, to) are UTF-8 (a sequence cut at `to` is not).
    bool isUtf8(qint64 from, qint64 to);

private:
    qint64 read(qint64 offset, qint64 length);

    int m_fd;
    qint64 m_size;
    QByteArray m_buffer;
};

} // namespace codalab::worker
