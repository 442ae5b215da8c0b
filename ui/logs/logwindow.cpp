// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/logwindow.h"

#include <algorithm>
#include <cstring>

namespace codalab::ui {

namespace {

/// Bytes of a UTF-8 sequence that starts with `lead`; 1 for ASCII and for bytes that start none.
int sequenceLength(unsigned char lead)
{
    if (lead >= 0xF0 && lead <= 0xF4) {
        return 4;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        return 3;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
        return 2;
    }
    return 1;
}

bool isContinuation(char byte)
{
    return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

/// The text of bytes that hold no synthetic break: "\r\n" as " \n", a lone "\r" as "\n".
QString decode(const char *data, qsizetype size)
{
    QString text = QString::fromUtf8(data, size);
    for (qsizetype i = text.indexOf(QLatin1Char('\r')); i >= 0; i = text.indexOf(QLatin1Char('\r'), i + 1)) {
        const bool crlf = i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n');
        text[i] = crlf ? QLatin1Char(' ') : QLatin1Char('\n');
    }
    return text;
}

/// Whether byte `i` of `data` ends a text line: "\n", or a "\r" that no "\n" follows.
bool endsLine(const char *data, qsizetype size, qsizetype i)
{
    return data[i] == '\n' || (data[i] == '\r' && (i + 1 >= size || data[i + 1] != '\n'));
}

} // namespace

qsizetype LogWindow::completePrefix(const QByteArray &bytes)
{
    const qsizetype n = bytes.size();
    if (n > 0 && bytes.at(n - 1) == '\r') {
        return n - 1;
    }
    // Look back at most three bytes for the lead of a sequence that the data cuts short.
    for (qsizetype i = n - 1; i >= 0 && i >= n - 3; --i) {
        if (isContinuation(bytes.at(i))) {
            continue; // its lead is further back
        }
        return i + sequenceLength(static_cast<unsigned char>(bytes.at(i))) > n ? i : n;
    }
    return n;
}

QString LogWindow::render(const QByteArray &bytes, qint64 offset, qint64 *lineBytes, QList<qint64> *breaks)
{
    // A window of megabytes is rendered on the GUI thread when a tail jumps ahead: line ends are found with
    // memchr, and only a line that reaches MaxLineBytes is walked a byte at a time.
    QString text;
    qsizetype pieceStart = 0;
    qint64 run = *lineBytes;
    const char *data = bytes.constData();
    const qsizetype size = bytes.size();
    for (qsizetype i = 0; i < size;) {
        const char *newline = static_cast<const char *>(std::memchr(data + i, '\n', size_t(size - i)));
        const qsizetype lineEnd = newline ? newline - data : size;
        const char *cr = static_cast<const char *>(std::memchr(data + i, '\r', size_t(lineEnd - i)));
        const qsizetype pieceEnd = cr ? cr - data : lineEnd; // the characters before the next "\n" or "\r"
        if (run + (pieceEnd - i) <= MaxLineBytes) {
            run += pieceEnd - i;
        } else {
            for (qsizetype j = i; j < pieceEnd; ++j) {
                // Break before a character, never inside one, nor inside "\r\n".
                if (run >= MaxLineBytes && !isContinuation(data[j])) {
                    text += decode(data + pieceStart, j - pieceStart);
                    text += QLatin1Char('\n');
                    breaks->append(offset + j);
                    pieceStart = j;
                    run = 0;
                }
                ++run;
            }
        }
        if (pieceEnd < size) {
            run = 0; // the "\n" or "\r" ends the line
            i = pieceEnd + 1;
        } else {
            i = size;
        }
    }
    text += decode(data + pieceStart, size - pieceStart);
    *lineBytes = run;
    m_lineBreaks += int(text.count(QLatin1Char('\n')));
    return text;
}

QString LogWindow::takeShowable(bool atFileEnd)
{
    qsizetype cut = 0;
    if (atFileEnd) {
        cut = completePrefix(m_pending);
    } else {
        // Not the end of the file: only whole lines, unless a line is too long to wait for.
        cut = m_pending.lastIndexOf('\n') + 1;
        if (cut == 0 && m_pending.size() > MaxPartialLine) {
            cut = completePrefix(m_pending);
        }
    }
    // A trailing "\r" is never shown (completePrefix holds it back), so "\r\n" is never split here.
    const QByteArray showable = m_pending.left(cut);
    m_pending.remove(0, cut);
    const qint64 offset = shownEnd();
    m_shown += showable;
    return render(showable, offset, &m_lineBytes, &m_breaks);
}

QString LogWindow::reset(qint64 offset, const QByteArray &data, bool atFileEnd)
{
    clear();
    m_start = offset;
    m_pending = data;
    m_atFileEnd = atFileEnd;
    if (offset > 0) {
        // The window starts mid-file: drop the partial first line, unless nothing would be left.
        const qsizetype newline = m_pending.indexOf('\n');
        if (newline >= 0 && newline + 1 < m_pending.size()) {
            m_pending.remove(0, newline + 1);
            m_start += newline + 1;
        }
    }
    return takeShowable(atFileEnd);
}

QString LogWindow::append(const QByteArray &data, bool atFileEnd)
{
    m_pending += data;
    m_atFileEnd = atFileEnd;
    return takeShowable(atFileEnd);
}

QString LogWindow::prepend(qint64 offset, const QByteArray &data)
{
    Q_ASSERT(offset + data.size() == m_start);
    QByteArray bytes = data;
    qint64 start = offset;
    if (offset > 0) {
        // Unless that leaves nothing: then the chunk is one line, and going back further would not move.
        const qsizetype newline = bytes.indexOf('\n');
        if (newline >= 0 && newline + 1 < bytes.size()) {
            bytes.remove(0, newline + 1);
            start += newline + 1;
        }
    }
    QList<qint64> breaks;
    qint64 lineBytes = 0;
    const QString text = render(bytes, start, &lineBytes, &breaks);
    m_breaks = breaks + m_breaks;
    m_start = start;
    m_shown.prepend(bytes);
    return text;
}

int LogWindow::trimFront(qint64 maxBytes, int maxLines)
{
    qsizetype cut = 0;
    const qsizetype size = m_shown.size();
    if (size > maxBytes) {
        // The first line start past the excess: after a newline, or at a break of a long line.
        cut = m_shown.indexOf('\n', size - maxBytes - 1) + 1;
        const auto it = std::lower_bound(m_breaks.cbegin(), m_breaks.cend(), m_start + size - maxBytes);
        if (it != m_breaks.cend() && (cut <= 0 || *it - m_start < cut)) {
            cut = *it - m_start;
        }
        if (cut <= 0) {
            cut = size - maxBytes;
        }
    }
    if (m_lineBreaks > maxLines) {
        cut = qMax<qsizetype>(cut, lineOffset(m_lineBreaks - maxLines) - m_start);
    }
    return cut > 0 ? cutFront(cut) : 0;
}

int LogWindow::trimBack(qint64 maxBytes, int maxLines)
{
    const qsizetype size = m_shown.size();
    qsizetype keep = size;
    if (size > maxBytes) {
        keep = m_shown.lastIndexOf('\n', maxBytes - 1) + 1;
        const auto it = std::upper_bound(m_breaks.cbegin(), m_breaks.cend(), m_start + maxBytes);
        if (it != m_breaks.cbegin() && *(it - 1) - m_start > keep) {
            keep = *(it - 1) - m_start;
        }
        if (keep <= 0) {
            keep = maxBytes;
        }
    }
    if (m_lineBreaks > maxLines) {
        keep = qMin<qsizetype>(keep, lineOffset(maxLines) - m_start);
    }
    return keep < size ? cutBack(keep) : 0;
}

int LogWindow::cutFront(qsizetype cut)
{
    cut = qBound<qsizetype>(0, cut, m_shown.size());
    // Synthetic breaks before the new first byte go too, that at it included.
    const auto last = std::upper_bound(m_breaks.begin(), m_breaks.end(), m_start + cut);
    const int synthetic = int(last - m_breaks.begin());
    const int chars = int(QString::fromUtf8(m_shown.constData(), cut).size()) + synthetic;
    m_lineBreaks -= countBreaks(0, cut) + synthetic;
    m_breaks.erase(m_breaks.begin(), last);
    m_shown.remove(0, cut);
    m_start += cut;
    return chars;
}

int LogWindow::cutBack(qsizetype keep)
{
    keep = qBound<qsizetype>(0, keep, m_shown.size());
    const auto first = std::lower_bound(m_breaks.begin(), m_breaks.end(), m_start + keep);
    const int synthetic = int(m_breaks.end() - first);
    const int chars
        = int(QString::fromUtf8(m_shown.constData() + keep, m_shown.size() - keep).size()) + synthetic;
    m_lineBreaks -= countBreaks(keep, m_shown.size()) + synthetic;
    m_breaks.erase(first, m_breaks.end());
    m_shown.truncate(keep);
    // What is cut from the bottom is no longer pending either: the next read starts where the text ends.
    m_pending.clear();
    m_atFileEnd = false;
    const qsizetype newline = qMax(m_shown.lastIndexOf('\n'), m_shown.lastIndexOf('\r'));
    const qint64 lineStart = qMax<qint64>(newline + 1, m_breaks.isEmpty() ? 0 : m_breaks.last() - m_start);
    m_lineBytes = m_shown.size() - lineStart;
    return chars;
}

int LogWindow::countBreaks(qsizetype from, qsizetype to) const
{
    const char *data = m_shown.constData();
    int breaks = int(std::count(data + from, data + to, '\n'));
    for (const char *r = std::find(data + from, data + to, '\r'); r != data + to;
         r = std::find(r + 1, data + to, '\r')) {
        if (endsLine(data, m_shown.size(), r - data)) {
            ++breaks;
        }
    }
    return breaks;
}

void LogWindow::clear()
{
    m_start = 0;
    m_shown.clear();
    m_pending.clear();
    m_breaks.clear();
    m_lineBytes = 0;
    m_lineBreaks = 0;
    m_atFileEnd = false;
}

int LogWindow::charPosition(qint64 offset) const
{
    const qint64 inWindow = qBound<qint64>(0, offset - m_start, m_shown.size());
    const auto synthetic = std::upper_bound(m_breaks.cbegin(), m_breaks.cend(), m_start + inWindow);
    return int(QString::fromUtf8(m_shown.constData(), inWindow).size() + (synthetic - m_breaks.cbegin()));
}

qint64 LogWindow::lineOffset(int line) const
{
    // Lines start after "\n", after a "\r" that is not followed by "\n", and at each synthetic break.
    int lineNumber = 0;
    auto next = m_breaks.cbegin();
    const qsizetype size = m_shown.size();
    const char *data = m_shown.constData();
    for (qsizetype i = 0; i < size && lineNumber < line; ++i) {
        if (next != m_breaks.cend() && *next - m_start == i) {
            ++next;
            if (++lineNumber == line) {
                return m_start + i;
            }
        }
        if (endsLine(data, size, i)) {
            if (++lineNumber == line) {
                return m_start + i + 1;
            }
        }
    }
    return line <= 0 ? m_start : m_start + size;
}

} // namespace codalab::ui
