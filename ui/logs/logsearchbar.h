// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLineEdit;
class QProgressBar;
class QPushButton;
class QToolButton;

namespace codalab::ui {

class LogSearch;
class LogSource;

/// The search row of a LogView and the search it runs: the text, "Match case", Previous/Next, and while a
/// LogSearch runs its progress and a Cancel button. Return searches forwards, Shift+Return backwards,
/// Escape cancels.
///
/// Usage: on searchRequested() (the user asked) call search() with where to start; then found() or
/// nothing, and finished() once. message() carries what to tell the user as it goes.
class LogSearchBar : public QWidget
{
    Q_OBJECT
public:
    explicit LogSearchBar(QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);
    Qt::CaseSensitivity caseSensitivity() const;
    /// Puts the keyboard focus in the search field with its text selected.
    void focusSearch();
    /// Ctrl+F, F3 and Shift+F3 while the focus is inside `scope`.
    void addShortcuts(QWidget *scope);

    /// Asks for a search with the current text (nothing when it is empty): searchRequested().
    void requestSearch(bool backwards);
    /// Searches `source` (`fileSize` bytes) for `text` from `from`, cancelling a search under way.
    void search(LogSource *source, const QString &text, qint64 from, qint64 fileSize, bool backwards,
        Qt::CaseSensitivity cs);
    /// Stops the search under way, if any, with nothing more emitted for it.
    void cancel();
    bool isSearching() const { return m_search != nullptr; }

Q_SIGNALS:
    void searchRequested(const QString &text, bool backwards, Qt::CaseSensitivity cs);
    /// A match of `bytes` bytes at `offset`.
    void found(qint64 offset, qint64 bytes);
    void finished(bool found);
    void message(const QString &text, bool error);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void finish();
    void setSearching(bool searching);

    QLineEdit *m_field;
    QToolButton *m_matchCase;
    QPushButton *m_previous;
    QPushButton *m_next;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    LogSearch *m_search = nullptr;
};

} // namespace codalab::ui
