// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logs/logsource.h"

class QThreadPool;

namespace codalab::ui {

/// A log file on this machine: a local run's stdout or stderr, or the worker's own log. Every stat, read
/// and scan runs on a pool thread with QFile seek and read of the range asked for, so a file of any size
/// opens at once and a slow disk never stalls the caller. A file that does not exist is Missing.
///
/// Usage: LocalFileLogSource source(runDir + "/stdout"); then the LogSource requests.
class LocalFileLogSource : public LogSource
{
    Q_OBJECT
public:
    /// `pool` runs the file work (the global pool when null); it must outlive this source.
    explicit LocalFileLogSource(QString path, QThreadPool *pool = nullptr, QObject *parent = nullptr);

    QString path() const { return m_path; }

    int requestSize() override;
    int requestRange(qint64 offset, qint64 length) override;
    int requestFind(qint64 offset, qint64 length, const QByteArray &needle, Qt::CaseSensitivity cs,
        bool backwards) override;
    qint64 searchChunkBytes() const override { return 8 * 1024 * 1024; }
    QString displayName() const override;

private:
    QString m_path;
    QThreadPool *m_pool;
};

} // namespace codalab::ui
