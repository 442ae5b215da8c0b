// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QMutex>
#include <QString>
#include <QWaitCondition>

#include <deque>
#include <memory>

namespace codalab::util {

/// A byte queue between two threads with a fixed capacity: the writer blocks while it is full, the reader
/// while it is empty. It carries an upload packed on the fly (a tar.gz writer on one thread, the network
/// on another) with never more than `capacity` bytes of it in memory. abort() from any thread wakes both
/// ends, which then fail: that is how a cancel reaches a thread blocked in a read or a write.
class BoundedPipe
{
public:
    explicit BoundedPipe(qint64 capacity = 4 * 1024 * 1024)
        : m_capacity(capacity)
    { }

    /// Writes all of `data` (blocking while full); false once aborted or closed.
    bool write(const char *data, qint64 size);
    /// Up to `max` bytes (blocking while empty): > 0 read, 0 at the end after closeWrite(), -1 once aborted.
    qint64 read(char *data, qint64 max);
    /// The writer is done: the reader gets the rest, then the end.
    void closeWrite();
    /// Both ends fail from now on, with `reason`.
    void abort(const QString &reason);
    bool isAborted() const;
    QString abortReason() const;

    /// The writing end as a QIODevice, for writers that want one (TarGzWriter).
    std::unique_ptr<QIODevice> writer();

private:
    mutable QMutex m_mutex;
    QWaitCondition m_readable;
    QWaitCondition m_writable;
    // Chunks as written, so a read never moves what is left (a single buffer would, at every read).
    std::deque<QByteArray> m_chunks;
    qint64 m_frontOffset = 0; ///< bytes of the first chunk already read
    qint64 m_size = 0; ///< bytes queued and not yet read
    qint64 m_capacity;
    bool m_closed = false;
    bool m_aborted = false;
    QString m_reason;
};

} // namespace codalab::util
