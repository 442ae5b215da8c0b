// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <optional>

namespace codalab::docker {
class DockerClient;
struct DockerError;
struct DockerResult;
} // namespace codalab::docker

namespace codalab::worker {

class SaveScheduler;
/// The Docker images the worker's runs use (codalab-protocol.md §4.7): pulls them, tells runs when they are
/// ready and with which digest, and keeps the images this worker pulled under --max-image-cache-size.
///
/// Usage: call load() once, then, from a run's PREPARING step, acquire(run, image) on every pass; the run
/// waits while the stage is Pulling (showing `progress`), fails with `Failed to download Docker image:
/// <message>` on Failed, and uses `digest` on Ready; at clean-up it calls release(run). changed() fires for
/// every change of an entry, also when it goes away (entry() is then empty); pullStarted() for each pull.
///
/// The first acquire by each run checks the image: when it is present and its last pull attempt is more
/// recent than setRefreshIntervalSec() it is ready at once; otherwise it is pulled (one pull at a time per
/// image, whoever asks). A pull that fails while the image is present locally still gives Ready, as
/// upstream does (the offline case). Only images that were absent and that this worker's pull brought in
/// count as `pulledByWorker`; only those are counted against the limit and removed (least recently used
/// first, never one a run uses, `docker rmi -f`, errors logged and ignored) every 10 s and after each
/// pull. lastUsed, lastPull and pulledByWorker survive restarts in the state file, written atomically.
class ImageCache : public QObject
{
    Q_OBJECT
public:
    enum class Stage { Pulling, Ready, Failed };
    struct Entry
    {
        QString image; ///< normalised: ":latest" added when the name has no tag or digest
        Stage stage = Stage::Pulling;
        QString digest; ///< ImageInfo::digest(): RepoDigests[0], else the id
        QString progress; ///< e.g. "Downloading 20.3MB/28.5MB (71% done)" while pulling
        QString message; ///< why it failed: the daemon's message
        qint64 sizeBytes = 0;
        bool pulledByWorker = false;
        QDateTime lastUsed;
        QDateTime lastPull; ///< of the last pull attempt, failed ones included
        QSet<QString> users; ///< run uuids
    };

    ImageCache(docker::DockerClient *docker, QString stateFile, QObject *parent = nullptr);
    ~ImageCache() override;

    /// Reads the state file. A missing one is an empty cache, and so is one that is not a state file of this
    /// version (moved aside to "<file>.corrupt-<epoch>" with a warning); false and *error only when the file
    /// cannot be read. load() itself removes nothing.
    bool load(QString *error);
    /// "busybox" → "busybox:latest", "host:5000/a" → "host:5000/a:latest" (a colon before the last slash is
    /// a registry port); names with a tag or digest ("a:1", "a@sha256:…") stay as they are.
    static QString normalise(const QString &image);

    /// Idempotent; a run asking for another image than before gives up the previous one.
    Entry acquire(const QString &run, const QString &image);
    void release(const QString &run);

    std::optional<Entry> entry(const QString &image) const;
    QList<Entry> entries() const;
    /// Of the images this worker pulled.
    qint64 totalBytes() const;

    /// nullopt: never remove anything.
    void setMaxBytes(std::optional<qint64> bytes);
    std::optional<qint64> maxBytes() const { return m_maxBytes; }
    /// 0: pull for every run that asks, as upstream does.
    void setRefreshIntervalSec(int sec) { m_refreshSec = qMax(0, sec); }
    void setFailedRetentionMs(int ms) { m_failedRetentionMs = qMax(0, ms); }
    /// Removes every image this worker pulled that no run uses (never one being checked or pulled); returns
    /// the bytes freed and, when `removed` is given, appends the entries it removed, as they were.
    qint64 cleanNow(QList<Entry> *removed = nullptr);

    static constexpr int DefaultRefreshIntervalSec = 600;
    static constexpr int DefaultFailedRetentionMs = 10000;
    static constexpr int EvictionIntervalMs = 10000;

Q_SIGNALS:
    void changed(const QString &image);
    void pullStarted(const QString &image);

private:
    struct Item
    {
        Entry entry;
        bool busy = false; ///< checking or pulling
        bool waitsForRemoval = false; ///< the check starts once an eviction of the same name is done
        bool existedBefore = false; ///< present before this worker's pull
        quint64 generation = 0; ///< tells a current callback from a stale one
        quint64 useOrder = 0; ///< breaks ties between equal lastUsed
    };

    void startCheck(const QString &image);
    void onChecked(const QString &image, quint64 generation, const docker::DockerResult &result);
    void startPull(const QString &image);
    /// `pulled`: whether a pull ran (else the check found the image fresh enough); `inspect`: after it.
    void onPulled(const QString &image, quint64 generation, bool pulled, const docker::DockerError &pullError,
        const docker::DockerResult &inspect);
    void fail(Item &item, const QString &message);
    void evict();
    void removeImage(QString image); ///< by value: callers pass names from the item it erases
    void notify(const QString &image) { Q_EMIT changed(image); }
    void scheduleSave();
    void save();

    docker::DockerClient *m_docker;
    QString m_stateFile;
    QHash<QString, Item> m_items;
    QHash<QString, QString> m_runImage; ///< run → the image it uses
    QSet<QString> m_removing; ///< names with a `docker rmi` in flight
    std::optional<qint64> m_maxBytes;
    int m_refreshSec = DefaultRefreshIntervalSec;
    int m_failedRetentionMs = DefaultFailedRetentionMs;
    quint64 m_generation = 0;
    quint64 m_useCounter = 0;
    SaveScheduler *m_saves;
    QTimer m_timer;
};

} // namespace codalab::worker
