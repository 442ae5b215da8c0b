// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/logtextedit.h"

#include <QElapsedTimer>
#include <QFontDatabase>
#include <QScrollBar>
#include <QTextBlock>

namespace codalab::ui {

namespace {

/// Characters inserted at once: a few milliseconds of layout.
constexpr qsizetype SliceChars = 16 * 1024;
/// Edits applied per turn of the event loop, at most: with a frame's painting, a turn stays well under the
/// 16 ms of a 60 Hz display.
constexpr qint64 TurnBudgetMs = 5;

} // namespace

LogTextEdit::LogTextEdit(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setUndoRedoEnabled(false);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setAccessibleName(tr("Log text"));
    // The window and MaxLines bound the text; this is a backstop that the trimming never reaches, as the
    // widget trimming on its own would put the text out of step with the window.
    setMaximumBlockCount(4 * MaxLines);
    m_editTimer.setSingleShot(true);
    m_editTimer.setInterval(0);
    connect(&m_editTimer, &QTimer::timeout, this, &LogTextEdit::applyEdits);
    QScrollBar *scroll = verticalScrollBar();
    connect(scroll, &QScrollBar::valueChanged, this, [this, scroll](int value) {
        if (!m_adjusting) {
            Q_EMIT userScrolled(value == scroll->minimum(), value == scroll->maximum());
        }
    });
    // The range also changes after a layout that comes later than the edit: keep the end in view.
    connect(scroll, &QScrollBar::rangeChanged, this, [this, scroll]() {
        if (m_pinned) {
            setScroll(scroll->maximum());
        }
    });
}

void LogTextEdit::clearBytes()
{
    m_edits.clear();
    m_editTimer.stop();
    m_window.clear();
    m_adjusting = true;
    clear();
    m_adjusting = false;
}

void LogTextEdit::showBytes(qint64 offset, const QByteArray &data, bool atFileEnd, bool fromBottom)
{
    // The old text stays on screen until the new one's first slices go in, in the same turn: a tail that
    // jumps ahead replaces its window in steps no longer than a turn's budget, with no empty frame between.
    m_edits.clear();
    const QString text = m_window.reset(offset, data, atFileEnd);
    queue({ Edit::Clear, {}, 0, 0 });
    queueText(fromBottom ? Edit::Prepend : Edit::Append, text);
    // Over MaxLines: keep the end of a tail, but the start of a window read from an offset (the file's
    // start, or where a view was), which is what was asked for.
    if (fromBottom) {
        queue({ Edit::RemoveFront, {}, 0, m_window.trimFront(m_maxBytes, MaxLines) });
    } else {
        queue({ Edit::RemoveBack, {}, 0, m_window.trimBack(m_maxBytes, MaxLines) });
    }
    if (document()->isEmpty()) {
        applyEdits(); // nothing to keep on screen: the first slices at once
    }
}

void LogTextEdit::showBytesAround(qint64 offset, const QByteArray &data, bool atFileEnd, qint64 anchor)
{
    // Start at most MaxLines / 2 lines before the anchor: the bottom is what the trimming takes.
    qsizetype from = qBound<qsizetype>(0, anchor - offset, data.size());
    int lines = 0;
    while (from > 0 && lines <= MaxLines / 2) {
        from = data.lastIndexOf('\n', from - 1);
        if (from < 0) {
            break;
        }
        ++lines;
    }
    const qsizetype cut = lines > MaxLines / 2 ? from + 1 : 0;
    showBytes(offset + cut, data.mid(cut), atFileEnd, false);
}

void LogTextEdit::appendBytes(const QByteArray &data, bool atFileEnd)
{
    queueText(Edit::Append, m_window.append(data, atFileEnd));
    queue({ Edit::RemoveFront, {}, 0, m_window.trimFront(m_maxBytes, MaxLines) });
}

bool LogTextEdit::prependBytes(qint64 offset, const QByteArray &data)
{
    queueText(Edit::Prepend, m_window.prepend(offset, data));
    const int chars = m_window.trimBack(m_maxBytes, MaxLines);
    queue({ Edit::RemoveBack, {}, 0, chars });
    return chars > 0;
}

void LogTextEdit::selectBytes(qint64 from, qint64 to)
{
    // Positions as the window has them now, which is how the text will be once the queue ran up to here.
    queue({ Edit::Select, {}, m_window.charPosition(from), m_window.charPosition(to) });
}

void LogTextEdit::queueText(Edit::Kind kind, const QString &text)
{
    // Slices end after a newline where one is near, and never inside a surrogate pair.
    QList<QString> slices;
    for (qsizetype at = 0; at < text.size();) {
        qsizetype end = qMin(text.size(), at + SliceChars);
        if (end < text.size()) {
            const qsizetype newline = text.lastIndexOf(QLatin1Char('\n'), end - 1);
            if (newline >= at + SliceChars / 2) {
                end = newline + 1;
            } else if (text.at(end - 1).isHighSurrogate()) {
                --end;
            }
        }
        slices.append(text.mid(at, end - at));
        at = end;
    }
    // Prepending goes last slice first, so the text nearest to the bottom is in first.
    if (kind == Edit::Prepend) {
        std::reverse(slices.begin(), slices.end());
    }
    for (QString &slice : slices) {
        queue({ kind, std::move(slice), 0, 0 });
    }
}

void LogTextEdit::queue(Edit edit)
{
    if ((edit.kind == Edit::RemoveFront || edit.kind == Edit::RemoveBack) && edit.to <= 0) {
        return;
    }
    m_edits.append(std::move(edit));
    m_editTimer.start();
}

void LogTextEdit::applyEdits()
{
    QElapsedTimer clock;
    clock.start();
    while (!m_edits.isEmpty() && clock.elapsed() < TurnBudgetMs) {
        apply(m_edits.takeFirst());
    }
    if (!m_edits.isEmpty()) {
        m_editTimer.start();
    } else {
        Q_EMIT settled();
    }
}

void LogTextEdit::apply(const Edit &edit)
{
    QScrollBar *scroll = verticalScrollBar();
    const int firstLine = scroll->value();
    const int blocksBefore = document()->blockCount();
    QTextCursor cursor(document());
    m_adjusting = true;
    switch (edit.kind) {
    case Edit::Clear:
        if (!document()->isEmpty()) {
            replaceDocument();
        }
        break;
    case Edit::Append:
        cursor.movePosition(QTextCursor::End);
        cursor.insertText(edit.text);
        break;
    case Edit::Prepend:
        cursor.insertText(edit.text);
        break;
    case Edit::RemoveFront:
        cursor.setPosition(qMin(edit.to, document()->characterCount() - 1), QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
        break;
    case Edit::RemoveBack:
        cursor.movePosition(QTextCursor::End);
        cursor.setPosition(qMax(0, cursor.position() - edit.to), QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
        break;
    case Edit::Select:
        cursor.setPosition(edit.from);
        cursor.setPosition(qMin(edit.to, document()->characterCount() - 1), QTextCursor::KeepAnchor);
        m_pinned = false;
        setTextCursor(cursor);
        centerCursor();
        m_adjusting = false;
        return;
    }
    m_adjusting = false;
    // Keep the lines on screen where they are: the end when it was in view, else the same first line.
    if (m_pinned) {
        setScroll(scroll->maximum());
    } else if (edit.kind == Edit::Prepend || edit.kind == Edit::RemoveFront) {
        setScroll(firstLine + document()->blockCount() - blocksBefore);
    }
}

void LogTextEdit::replaceDocument()
{
    // A fresh document instead of clear(): freeing the old one's blocks (tens of thousands of lines) waits
    // for a later turn of the event loop instead of lengthening this one.
    QTextDocument *old = document();
    auto *fresh = new QTextDocument(this);
    fresh->setDocumentLayout(new QPlainTextDocumentLayout(fresh));
    fresh->setDefaultFont(old->defaultFont());
    fresh->setUndoRedoEnabled(false);
    fresh->setMaximumBlockCount(old->maximumBlockCount());
    old->setParent(nullptr); // else setDocument() deletes it now
    setDocument(fresh);
    old->deleteLater();
}

qint64 LogTextEdit::firstVisibleOffset() const
{
    if (isBusy()) {
        return m_window.start(); // the text is not the window's yet
    }
    return m_window.lineOffset(cursorForPosition(QPoint(0, 0)).blockNumber());
}

bool LogTextEdit::isAtBottom() const
{
    return verticalScrollBar()->value() == verticalScrollBar()->maximum();
}

void LogTextEdit::setPinnedToBottom(bool pinned)
{
    m_pinned = pinned;
    if (pinned) {
        setScroll(verticalScrollBar()->maximum());
    }
}

void LogTextEdit::setScroll(int value)
{
    m_adjusting = true;
    verticalScrollBar()->setValue(value);
    m_adjusting = false;
}

} // namespace codalab::ui
