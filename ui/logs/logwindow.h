// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace codalab::ui {

/// The bytes a LogView shows: one contiguous window [start(), end()) of a log file, kept in step with the
/// text in the widget. No widget here, so the byte bookkeeping is tested on its own.
///
/// Usage: reset() with a range read from the file and show the returned text; append()/prepend() more
/// bytes and insert the returned text at the end/start; trimFront()/trimBack() return how many characters
/// to remove from the widget. charPosition() turns a byte offset (a search hit) into a text position.
///
/// The text has one character per decoded character of the bytes, plus one line break in every run of
/// MaxLineBytes without one: a text widget lays out a line of a megabyte (a JSON dump, the zeros of a
/// sparse file) for seconds, and a log line that long is read in pieces anyway. "\r\n" shows as " \n" and
/// a lone "\r" (a progress bar redrawing its line) as a line break. Bytes that cannot be shown yet wait
/// in a pending tail: an incomplete UTF-8 sequence or a trailing "\r" at the end of the file, or a
/// partial last line in a window that does not reach the end of the file.
class LogWindow
{
public:
    /// The longest line shown as one; longer ones are shown in pieces of this size.
    static constexpr qint64 MaxLineBytes = 2048;
    /// A partial last line is held back until it ends, unless it grows longer than this.
    static constexpr qint64 MaxPartialLine = 64 * 1024;

    /// Replaces the window with `data` read at `offset`; `atFileEnd` when it reaches the end of the file.
    /// A window starting mid-file drops its first, probably partial, line. Returns the text to show.
    QString reset(qint64 offset, const QByteArray &data, bool atFileEnd);
    /// `data` read at end(); returns the text to add at the end of the widget.
    QString append(const QByteArray &data, bool atFileEnd);
    /// `data` read just before start() (it must end there); returns the text to insert at the top.
    QString prepend(qint64 offset, const QByteArray &data);
    /// Drops whole lines from the top until at most `maxBytes` and `maxLines` are shown; returns the
    /// characters removed.
    int trimFront(qint64 maxBytes, int maxLines);
    /// Drops whole lines from the bottom likewise; returns the characters removed.
    int trimBack(qint64 maxBytes, int maxLines);
    void clear();

    /// Offset of the first shown byte.
    qint64 start() const { return m_start; }
    /// Offset of the next byte to read: the shown bytes and the pending tail.
    qint64 end() const { return m_start + m_shown.size() + m_pending.size(); }
    /// Offset just past the last shown byte.
    qint64 shownEnd() const { return m_start + m_shown.size(); }
    qint64 shownBytes() const { return m_shown.size(); }
    /// Line breaks in the text.
    int lineBreaks() const { return m_lineBreaks; }
    /// True when the window's end() was the end of the file when last read.
    bool atFileEnd() const { return m_atFileEnd; }
    bool contains(qint64 offset) const { return offset >= m_start && offset < shownEnd(); }

    /// The text position of a shown byte offset (clamped to the window).
    int charPosition(qint64 offset) const;
    /// The byte offset where text line `line` (0-based, as the widget counts blocks) starts.
    qint64 lineOffset(int line) const;

    /// Length of the longest prefix that ends neither inside a UTF-8 sequence nor on a "\r".
    static qsizetype completePrefix(const QByteArray &bytes);

private:
    /// The text of `bytes`, which start at `offset` where the current line is `*lineBytes` long; adds the
    /// breaks it makes to m_breaks (kept sorted by the caller's order of calls).
    QString render(const QByteArray &bytes, qint64 offset, qint64 *lineBytes, QList<qint64> *breaks);
    QString takeShowable(bool atFileEnd);
    /// Removes [0, cut) of the shown bytes; returns the characters removed.
    int cutFront(qsizetype cut);
    /// Removes [keep, end) of the shown bytes; returns the characters removed.
    int cutBack(qsizetype keep);
    /// Display line breaks in shown bytes [from, to), synthetic ones included.
    int countBreaks(qsizetype from, qsizetype to) const;
    /// Synthetic breaks b with from < b <= to (absolute offsets).
    int countSynthetic(qint64 from, qint64 to) const;

    qint64 m_start = 0;
    QByteArray m_shown;
    QByteArray m_pending;
    QList<qint64> m_breaks; ///< a line break is shown just before each of these offsets, sorted
    qint64 m_lineBytes = 0; ///< bytes of the last text line so far
    int m_lineBreaks = 0;
    bool m_atFileEnd = false;
};

} // namespace codalab::ui
