// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/dependencykey.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>
#include <optional>

namespace codalab::server {
class ContentsDownload;
struct ApiError;
} // namespace codalab::server

namespace codalab::worker {

class SaveScheduler;
struct DependencyRecord;

/// The worker's cache of run dependencies under `<work>/dependencies` (codalab-protocol.md §4.6), one
/// file or directory per (parent_uuid, parent_path), shared by every run that needs it.
///
/// Usage: call load() once, then, from a run's PREPARING step, acquire(run, key) on every pass: the first
/// call starts the download, later calls (by this or other runs) only register the run and return where the
/// entry stands. A run waits while the stage is Downloading, fails with `Failed to download dependency
/// <key>: <message>` on Failed, and mounts `path` read-only on Ready; at clean-up it calls releaseRun().
/// changed() fires for every change of an entry (stage, progress, size, dependents), also when an entry goes
/// away (entry() is then empty).
///
/// Downloads go to a hidden staging name and are renamed into place only once complete and measured, so a
/// crash never leaves a half entry that looks ready; a failed attempt is retried back to back up to
/// setMaxAttempts() times, except when SafeArchive refused the archive (retrying cannot help). The cache
/// stays under setMaxBytes() by removing, least recently used first, failed entries and then ready ones no
/// run depends on; it never removes an entry in use or being downloaded. The state file is rewritten
/// atomically after every change and on destruction. Blocking file work (measuring, removing) runs on the
/// global QThreadPool and reports back through the QCoreApplication object, so use the cache on the main
/// thread.
class DependencyCache : public QObject
{
    Q_OBJECT
public:
    enum class Stage { Downloading, Ready, Failed };
    struct Entry
    {
        DependencyKey key;
        Stage stage = Stage::Downloading;
        QString path; ///< absolute host path: file or directory (there once Ready)
        qint64 sizeBytes = 0; ///< bytes on disk once Ready; bytes received so far while Downloading
        qint64 bytesDownloaded = 0; ///< of the current attempt, as received (compressed)
        QString message; ///< why it failed
        QSet<QString> dependents; ///< run uuids
        QDateTime lastUsed;
    };

    /// Makes one download of `key` into `target` (a path that does not exist yet); the worker passes a lambda
    /// over server::WorkerApi::downloadDependency(uuid, path, target, limits).
    using DownloadFactory
        = std::function<server::ContentsDownload *(const DependencyKey &, const QString &target)>;

    DependencyCache(QString directory, QString stateFile, DownloadFactory factory, QObject *parent = nullptr);
    ~DependencyCache() override;

    /// Reads the state file: entries whose files are gone are dropped and files without an entry removed;
    /// a download a previous process left unfinished starts again when next acquired.
    bool load(QString *error);

    Entry acquire(const QString &run, const DependencyKey &key);
    /// The last dependent leaving a download in flight cancels it and drops the entry.
    void release(const QString &run, const DependencyKey &key);
    void releaseRun(const QString &run);

    std::optional<Entry> entry(const DependencyKey &key) const;
    QList<Entry> entries() const;
    qint64 totalBytes() const;
    /// `[[uuid, path], ...]` of every entry, whatever its stage, for the check-in body.
    QJsonArray checkinDependencies() const;

    void setMaxBytes(qint64 bytes);
    qint64 maxBytes() const { return m_maxBytes; }
    void setMaxAttempts(int attempts) { m_maxAttempts = qMax(1, attempts); }
    void setFailedRetentionMs(int ms) { m_failedRetentionMs = qMax(0, ms); }
    /// Removes every ready entry no run uses now (never one being downloaded); returns the bytes freed and,
    /// when `removed` is given, appends the entries it removed, as they were.
    qint64 cleanNow(QList<Entry> *removed = nullptr);

    static constexpr qint64 DefaultMaxBytes = qint64(10) << 30;
    static constexpr int DefaultMaxAttempts = 3;
    static constexpr int DefaultFailedRetentionMs = 10000;

Q_SIGNALS:
    void changed(const codalab::worker::DependencyKey &key);

private:
    struct Item
    {
        Entry entry;
        QString name; ///< file name inside the cache directory
        QPointer<server::ContentsDownload> download;
        QString staging; ///< where the current attempt writes
        quint64 attemptId = 0; ///< tells a current callback from a stale one
        int attempts = 0;
        bool busy = false; ///< a download or its measuring is in flight
        quint64 useOrder = 0; ///< breaks ties between equal lastUsed
    };

    void startDownload(const DependencyKey &key);
    void onDownloadFinished(const DependencyKey &key, quint64 attemptId, const server::ApiError &error);
    void onMeasured(const DependencyKey &key, quint64 attemptId, qint64 bytes);
    void fail(Item &item, const QString &message);
    void cancelDownload(Item &item);
    void drop(DependencyKey key); ///< by value: callers may pass the key of the item it erases
    void touch(Item &item);
    void evict();
    void sweepStaging();
    void tick();
    QString uniqueName(const DependencyKey &key) const;
    void notify(const DependencyKey &key) { Q_EMIT changed(key); }
    void scheduleSave();
    void save();

    QString m_directory;
    QString m_stateFile;
    DownloadFactory m_factory;
    QHash<DependencyKey, Item> m_items;
    qint64 m_maxBytes = DefaultMaxBytes;
    int m_maxAttempts = DefaultMaxAttempts;
    int m_failedRetentionMs = DefaultFailedRetentionMs;
    quint64 m_sequence = 0;
    quint64 m_useCounter = 0;
    int m_ticks = 0;
    bool m_sweepSoon = false;
    SaveScheduler *m_saves;
    QTimer m_timer;
};

} // namespace codalab::worker
