// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logs/visibilitygate.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QPushButton;

namespace codalab::ui {

class LogSearchBar;
class LogStatusLine;
class LogSource;
class LogTextEdit;

/// A live view of one log file of any size: a read-only text showing a window of it (2 MiB by default),
/// never the whole file. It opens on the last window, follows growth (polling the size and reading only
/// the new bytes, starting again from the end when the file shrinks), loads earlier or later lines when
/// scrolled to an edge, jumps to the start, and searches the whole file off the GUI thread, showing the
/// window around a match with the match selected. No call blocks; at most one read is in flight.
///
/// Usage: LogView view; view.setSource(new LocalFileLogSource(path)); the view owns the source. Signals
/// tell what changed: sizeChanged() (LogSource::Missing while the file does not exist), windowChanged()
/// after each change of the text, searchFinished(). A file removed after it was shown stays shown, with
/// setRemovedText() in the status; replaceSource() reads the same file from elsewhere (a run's server copy)
/// without losing the place. The view reads only while it (or setVisibilityScope()'s widget) is visible.
class LogView : public QWidget
{
    Q_OBJECT
public:
    static constexpr qint64 DefaultWindowBytes = 2 * 1024 * 1024;
    /// fileSize() before the source answered.
    static constexpr qint64 UnknownSize = -2;

    explicit LogView(QWidget *parent = nullptr);
    ~LogView() override;

    /// Shows `source` from its end, following it; takes ownership. Null shows nothing.
    void setSource(LogSource *source);
    LogSource *source() const { return m_source; }
    /// Reads the same file from `source` (takes ownership): what is shown stays until it answers, and a
    /// view not following reopens at the same offset instead of the end.
    void replaceSource(LogSource *source);
    /// Shown when the file does not exist yet (the default names the file).
    void setMissingText(const QString &text) { m_missingText = text; }
    /// The status once a file that was shown is gone (the default says so); its text stays.
    void setRemovedText(const QString &text) { m_removedText = text; }
    /// Reads only while `scope` is visible (default and null: this view). A view in a tab that is not in
    /// front but whose page is shown still follows its file, at a slower pace, so its size stays current.
    void setVisibilityScope(QWidget *scope) { m_gate->setScope(scope); }
    void setWindowBytes(qint64 bytes);
    qint64 windowBytes() const { return m_windowBytes; }
    /// How often the size is polled while following (slower otherwise).
    void setPollIntervalMs(int ms);

    void jumpToStart();
    /// Shows the end of the file and follows it.
    void jumpToEnd();
    void setFollowing(bool following);
    bool isFollowing() const { return m_following; }
    /// The lines before (after) the window, a chunk at a time; the other end is trimmed to the window size.
    void loadEarlier();
    void loadLater();

    /// Searches the whole file from the selected match or the first visible line; wraps around once.
    void find(const QString &text, bool backwards = false, Qt::CaseSensitivity cs = Qt::CaseInsensitive);
    void cancelSearch();
    bool isSearching() const;

    /// The last known size, LogSource::Missing, or UnknownSize.
    qint64 fileSize() const { return m_size; }
    qint64 windowStart() const;
    qint64 windowEnd() const;
    QString text() const;
    QString selectedText() const;
    QString positionText() const;
    QString statusText() const;
    LogTextEdit *textEdit() const { return m_text; }
    LogSearchBar *searchBar() const { return m_searchBar; }

Q_SIGNALS:
    void sizeChanged(qint64 size);
    void windowChanged();
    void followingChanged(bool following);
    void searchFinished(bool found);

private:
    enum class Op { None, TailSize, PollSize, ReadTail, ReadAt, ReadAround, Append, Earlier, Later };

    void attach(LogSource *source);
    /// Starts polling while someone can see the view, stops it otherwise.
    void activate();
    void startOp(Op op, int request);
    void readWindow(Op op, qint64 offset);
    void poll();
    void onSize(int request, qint64 size);
    void onRange(int request, qint64 offset, const QByteArray &data);
    void onFailed(int request, const QString &message);
    void onGrowth(qint64 size);
    void onUserScrolled(bool atTop, bool atBottom);
    void onFound(qint64 offset, qint64 bytes);
    void updateLabels();
    void updatePlaceholder();

    QPointer<LogSource> m_source;
    LogTextEdit *m_text;
    QPushButton *m_startButton;
    QPushButton *m_earlierButton;
    QPushButton *m_endButton;
    QCheckBox *m_followBox;
    LogSearchBar *m_searchBar;
    LogStatusLine *m_statusLine;
    VisibilityGate *m_gate;
    QTimer m_pollTimer;
    QString m_missingText;
    QString m_removedText;
    qint64 m_windowBytes = DefaultWindowBytes;
    qint64 m_size = UnknownSize;
    int m_pollMs = 500;
    Op m_op = Op::None;
    int m_request = 0;
    bool m_following = true;
    bool m_reloadTail = false; ///< the last read failed: read the end again on the next poll
    qint64 m_hit = -1; ///< offset of the selected match
    qint64 m_hitBytes = 0;
    qint64 m_resumeAt = -1; ///< replaceSource(): where the window opens instead of the end
    int m_backgroundTicks = 0;
    bool m_removed = false; ///< the file was shown, then vanished: its last text stays
};

} // namespace codalab::ui
