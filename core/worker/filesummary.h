// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <utility>

namespace codalab::worker {

class GzipFileWriter;

/// What the `summarize_file` read shows of a file, by upstream's head and tail rules, as byte ranges of the
/// file: its head, the truncation text, its tail, and a newline to end it; or upstream's "<binary>"
/// placeholder when the lines shown are not UTF-8. Lines end at '\n'.
///
/// A file over (head + tail) × maxLineLength bytes is read only near its ends: up to `head` whole lines from
/// its first head × maxLineLength bytes, and up to `tail` whole lines from its last tail × maxLineLength + 1
/// bytes; a smaller one is shown whole unless it has more than head + tail lines, with the truncation text
/// in the gap when both are asked for.
///
/// Usage: FileSummary::of() on a regular file open for reading, then writeTo() with the same descriptor.
/// Both read with pread, a chunk at a time, so the file may be large and may grow meanwhile.
class FileSummary
{
public:
    /// The summary of the first `size` bytes of `fd`; maxLineLength > 0 and head + tail > 0.
    static FileSummary of(int fd, qint64 size, qint64 headLines, qint64 tailLines, qint64 maxLineLength);

    /// Writes what is shown, copying the ranges from `fd`; errors stay in `out` for its finish().
    void writeTo(GzipFileWriter &out, int fd, const QByteArray &truncationText) const;

    bool isBinary() const { return m_binary; }

private:
    std::pair<qint64, qint64> m_head { 0, 0 };
    bool m_truncated = false;
    std::pair<qint64, qint64> m_tail { 0, 0 };
    bool m_newline = false;
    bool m_binary = false;
};

} // namespace codalab::worker
