// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logs/logwindow.h"

#include <QList>
#include <QPlainTextEdit>
#include <QTimer>

namespace codalab::ui {

/// The text of a LogView: a read-only, monospaced, unwrapped QPlainTextEdit that shows the bytes of a
/// LogWindow and keeps the two in step, so a byte offset (a search hit) can be selected and the first
/// line on screen has an offset. It holds at most maxBytes and MaxLines lines: what is added at one end
/// trims the other, keeping the lines on screen in place.
///
/// Text goes into the widget a slice at a time, a few milliseconds per turn of the event loop, because
/// laying out megabytes of text at once stalls the GUI for a fraction of a second: showBytes() puts the
/// slices nearest to what is shown first (the end of a tail), so text appears at once. isBusy() while
/// slices wait; settled() when all are in.
///
/// Usage: showBytes() to replace, appendBytes()/prependBytes() to extend; setPinnedToBottom() to keep the
/// last line in view (following). userScrolled() tells of the user's scrolling, never of its own.
class LogTextEdit : public QPlainTextEdit
{
    Q_OBJECT
public:
    /// Lines kept at most, whatever their length: a file of empty lines must not make millions of blocks.
    static constexpr int MaxLines = 100000;

    explicit LogTextEdit(QWidget *parent = nullptr);

    const LogWindow &window() const { return m_window; }
    void setMaxBytes(qint64 bytes) { m_maxBytes = bytes; }
    void clearBytes();

    /// Replaces the text with `data` read at `offset`; `fromBottom` fills it from its end (a tail).
    /// Over MaxLines, a tail keeps its end and a window read elsewhere its start.
    void showBytes(qint64 offset, const QByteArray &data, bool atFileEnd, bool fromBottom);
    /// As showBytes() from the top, but over MaxLines the byte `anchor` (a match) stays in the middle.
    void showBytesAround(qint64 offset, const QByteArray &data, bool atFileEnd, qint64 anchor);
    /// Adds `data` read at window().end(), trimming the top.
    void appendBytes(const QByteArray &data, bool atFileEnd);
    /// Adds `data` that ends at window().start(), trimming the bottom; true when it trimmed something.
    bool prependBytes(qint64 offset, const QByteArray &data);
    /// Selects the shown bytes [from, to) and scrolls them to the middle, once the text is in.
    void selectBytes(qint64 from, qint64 to);
    /// The offset of the first line on screen.
    qint64 firstVisibleOffset() const;
    bool isAtBottom() const;
    bool isBusy() const { return !m_edits.isEmpty(); }
    void setPinnedToBottom(bool pinned);
    bool isPinnedToBottom() const { return m_pinned; }

Q_SIGNALS:
    void userScrolled(bool atTop, bool atBottom);
    void settled();

private:
    struct Edit
    {
        enum Kind { Clear, Append, Prepend, RemoveFront, RemoveBack, Select } kind;
        QString text;
        int from = 0;
        int to = 0;
    };
    void queueText(Edit::Kind kind, const QString &text);
    void queue(Edit edit);
    void applyEdits();
    void apply(const Edit &edit);
    void setScroll(int value);
    void replaceDocument();

    LogWindow m_window;
    QList<Edit> m_edits;
    QTimer m_editTimer;
    qint64 m_maxBytes = 2 * 1024 * 1024;
    bool m_pinned = false;
    bool m_adjusting = false; ///< our own scrolling, not the user's
};

} // namespace codalab::ui
