// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>

namespace codalab::ui {

class LogSource;

/// One search through a whole log file, a chunk at a time, each scanned off the GUI thread by the source
/// (a local file on a pool thread, a remote one by range reads). It starts at an offset and wraps around
/// the end of the file once, so Next after the last match finds the first one.
///
/// Usage: new LogSearch(source, needle, cs, parent); connect found(), notFound(), failed() (exactly one of
/// them comes, then it is done) and progress(); start(). cancel() stops it with nothing more emitted.
class LogSearch : public QObject
{
    Q_OBJECT
public:
    LogSearch(LogSource *source, QByteArray needle, Qt::CaseSensitivity cs, QObject *parent = nullptr);

    /// Looks for a match starting at or after `from` (or, `backwards`, strictly before it) in a file of
    /// `fileSize` bytes, then in the rest of the file.
    void start(qint64 from, qint64 fileSize, bool backwards);
    void cancel();
    bool isRunning() const { return m_running; }
    QByteArray needle() const { return m_needle; }

Q_SIGNALS:
    void progress(qint64 scanned, qint64 total);
    /// `wrapped` when the match lies past the end of the file, counted from the start offset.
    void found(qint64 offset, bool wrapped);
    void notFound();
    void failed(const QString &message);

private:
    /// Match starts in [begin, end), scanned from `end` down when backwards.
    struct Segment
    {
        qint64 begin;
        qint64 end;
    };
    void next();
    void onFindDone(int request, qint64 position);
    void onFailed(int request, const QString &message);

    QPointer<LogSource> m_source;
    QByteArray m_needle;
    Qt::CaseSensitivity m_cs;
    bool m_backwards = false;
    bool m_running = false;
    qint64 m_fileSize = 0;
    qint64 m_scanned = 0;
    QList<Segment> m_segments;
    int m_segmentIndex = 0;
    qint64 m_cursor = 0; ///< the next match start to scan from (forwards) or up to (backwards)
    qint64 m_chunkEnd = 0; ///< match starts of the chunk in flight end before this (forwards)
    int m_request = 0;
};

} // namespace codalab::ui
