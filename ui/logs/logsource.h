// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QFuture>
#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QPromise>
#include <QThreadPool>

#include <memory>

namespace codalab::ui {

/// A log file that grows, read in ranges and never as a whole: the local stdout of a run on this worker,
/// the same file of a run elsewhere through the REST API, or the worker's own log.
///
/// Usage: each request returns an id at once and its answer comes later, never from within the call, as
/// sizeKnown(), rangeRead() or findDone() with that id, or failed() with it. Answers to different
/// requests may come in any order; a caller keeps the id of the answer it still wants and ignores others.
class LogSource : public QObject
{
    Q_OBJECT
public:
    /// The size of a file that does not exist yet: a run that has not written it. Not an error.
    static constexpr qint64 Missing = -1;

    explicit LogSource(QObject *parent = nullptr);

    /// The file's current size, or Missing: sizeKnown().
    virtual int requestSize() = 0;
    /// Bytes [offset, offset + length), fewer at the end of the file: rangeRead().
    virtual int requestRange(qint64 offset, qint64 length) = 0;
    /// The first (or with `backwards` the last) occurrence of `needle` in bytes [offset, offset + length):
    /// findDone() with its offset, or -1. The scan never runs on the caller's thread; this default reads
    /// the range with requestRange() and scans it on a pool thread.
    virtual int requestFind(
        qint64 offset, qint64 length, const QByteArray &needle, Qt::CaseSensitivity cs, bool backwards);
    /// How many bytes one requestFind() should cover: large for a local file, small for a REST read.
    virtual qint64 searchChunkBytes() const = 0;
    /// A short name for messages: the file name or the run's file.
    virtual QString displayName() const = 0;

    /// Where `needle` occurs in `haystack` (first, or last with `backwards`), -1 if nowhere; with
    /// Qt::CaseInsensitive ASCII letters match either case.
    static qint64 find(
        const QByteArray &haystack, const QByteArray &needle, Qt::CaseSensitivity cs, bool backwards);

Q_SIGNALS:
    void sizeKnown(int request, qint64 size);
    void rangeRead(int request, qint64 offset, const QByteArray &data);
    void findDone(int request, qint64 position);
    void failed(int request, const QString &message);

protected:
    int nextRequestId() { return ++m_lastRequest; }

    /// Runs `work` on `pool` and calls `done` with its result on this object's thread, unless this object
    /// is gone by then (the watcher dies with it; the work only ever holds copies).
    template<typename T, typename Work, typename Done> void runInPool(QThreadPool *pool, Work work, Done done)
    {
        auto promise = std::make_shared<QPromise<T>>();
        auto *watcher = new QFutureWatcher<T>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [watcher, done]() {
            watcher->deleteLater();
            if (watcher->future().resultCount() > 0) {
                done(watcher->future().result());
            }
        });
        watcher->setFuture(promise->future());
        pool->start([promise, work]() {
            promise->start();
            promise->addResult(work());
            promise->finish();
        });
    }

private:
    struct PendingFind
    {
        qint64 offset;
        QByteArray needle;
        Qt::CaseSensitivity cs;
        bool backwards;
    };
    int m_lastRequest = 0;
    QHash<int, PendingFind> m_finds;
};

} // namespace codalab::ui
