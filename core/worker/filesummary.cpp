// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/filesummary.h"

#include "worker/gzipfilewriter.h"
#include "worker/linescanner.h"

namespace codalab::worker {

FileSummary FileSummary::of(int fd, qint64 size, qint64 head, qint64 tail, qint64 maxLineLength)
{
    LineScanner scan(fd, size);
    FileSummary s;
    const auto finish = [&scan](FileSummary &summary) {
        summary.m_binary = !scan.isUtf8(summary.m_head.first, summary.m_head.second)
            || !scan.isUtf8(summary.m_tail.first, summary.m_tail.second);
        return summary;
    };
    const bool endsWithNewline = scan.endsWithNewline();
    s.m_truncated = head > 0 && tail > 0;
    if (size == 0 || head + tail > (size - 1) / maxLineLength) { // size <= (head + tail) × maxLineLength
        const LineScanner::Forward all = scan.forward(0, size, head + tail + 1);
        const qint64 lines = all.count + (size > 0 && !endsWithNewline ? 1 : 0);
        if (lines <= head + tail) {
            s.m_head = { 0, size };
            s.m_truncated = false;
            s.m_tail = { size, size };
            s.m_newline = size > 0 && !endsWithNewline;
            return finish(s);
        }
        s.m_head = { 0, head > 0 ? scan.forward(0, size, head).afterNth : 0 };
        if (tail > 0) {
            s.m_tail = { scan.lastLinesStart(0, tail, endsWithNewline), size };
            s.m_newline = !endsWithNewline;
        }
        return finish(s);
    }
    if (head > 0) {
        const LineScanner::Forward h = scan.forward(0, head * maxLineLength, head);
        s.m_head
            = { 0, h.afterNth >= 0 ? h.afterNth : qMax<qint64>(0, h.afterLast) }; // a cut line is dropped
    }
    if (tail > 0) {
        // The first line of the window may be cut, so it is always dropped, as upstream does.
        const qint64 window = size - tail * maxLineLength - 1;
        const qint64 firstWhole = scan.forward(window, size, 1).afterNth;
        if (firstWhole >= 0) {
            const qint64 start = qMax(firstWhole, scan.lastLinesStart(window, tail, endsWithNewline));
            s.m_tail = { start, size };
            s.m_newline = start < size && !endsWithNewline;
        }
    }
    return finish(s);
}

void FileSummary::writeTo(GzipFileWriter &out, int fd, const QByteArray &truncationText) const
{
    if (m_binary) {
        out.write(QByteArrayLiteral("<binary>")); // upstream's BINARY_PLACEHOLDER
        return;
    }
    out.copy(fd, m_head.first, m_head.second);
    if (m_truncated) {
        out.write(truncationText);
    }
    out.copy(fd, m_tail.first, m_tail.second);
    if (m_newline) {
        out.write(QByteArrayLiteral("\n"));
    }
}

} // namespace codalab::worker
