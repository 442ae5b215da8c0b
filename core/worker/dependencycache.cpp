// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/dependencycache.h"

#include "server/apierror.h"
#include "server/contentsdownload.h"
#include "util/bundleuuid.h"
#include "util/logging.h"
#include "worker/dependencycachestate.h"
#include "worker/savescheduler.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QThreadPool>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace codalab::worker {

namespace {

const QString RefusedPrefix = QStringLiteral("Refused archive:");
constexpr int SweepEveryTicks = 60;

} // namespace

DependencyCache::DependencyCache(
    QString directory, QString stateFile, DownloadFactory factory, QObject *parent)
    : QObject(parent)
    , m_directory(QDir(directory).absolutePath())
    , m_stateFile(std::move(stateFile))
    , m_factory(std::move(factory))
    , m_saves(new SaveScheduler([this] { save(); }, this))
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &DependencyCache::tick);
    m_timer.start();
}

DependencyCache::~DependencyCache()
{
    // Unfinished downloads stay "downloading" in the state file, so the next process starts them again.
    for (Item &item : m_items) {
        if (item.busy) {
            cancelDownload(item);
        }
    }
    save();
}

bool DependencyCache::load(QString *error)
{
    if (!QDir().mkpath(m_directory)) {
        *error = QStringLiteral("Cannot create the dependency cache directory %1").arg(m_directory);
        return false;
    }
    QList<DependencyRecord> records;
    if (!DependencyCacheState::read(m_stateFile, &records, error)) {
        return false;
    }
    for (Item &item : m_items) {
        if (item.busy) {
            cancelDownload(item);
        }
    }
    m_items.clear();
    QSet<QString> keep; // names whose files stay
    QSet<QString> taken;
    for (const DependencyRecord &r : records) {
        const QString path = m_directory + QLatin1Char('/') + r.name;
        const bool ready = r.stage == QLatin1String("ready") && DependencyCacheState::exists(path);
        const bool resume = r.stage == QLatin1String("downloading") && !r.dependents.isEmpty();
        if ((!ready && !resume) || m_items.contains(r.key) || taken.contains(r.name)) {
            continue; // failed, gone, or nobody waits for it: its files (if any) go below
        }
        Item item;
        item.name = r.name;
        item.entry.key = r.key;
        item.entry.path = path;
        item.entry.stage = ready ? Stage::Ready : Stage::Downloading;
        item.entry.sizeBytes = ready ? r.sizeBytes : 0;
        item.entry.dependents = r.dependents;
        item.entry.lastUsed = r.lastUsed;
        item.useOrder = ++m_useCounter;
        m_items.insert(r.key, item);
        taken.insert(r.name);
        if (ready) {
            keep.insert(r.name); // a download to resume starts from nothing: what it left is removed
        }
    }
    const QStringList names
        = QDir(m_directory).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        if (!keep.contains(name)) {
            qCInfo(lcWorkerCache) << "Removing" << name << "from the dependency cache: no entry owns it";
            DependencyCacheState::discard(m_directory + QLatin1Char('/') + name);
        }
    }
    save();
    return true;
}

DependencyCache::Entry DependencyCache::acquire(const QString &run, const DependencyKey &key)
{
    auto it = m_items.find(key);
    if (it == m_items.end()) {
        Item item;
        item.entry.key = key;
        item.entry.dependents.insert(run);
        touch(item);
        it = m_items.insert(key, item);
        if (!util::BundleUuid::isValid(key.parentUuid) || key.parentPath.contains(QChar(0))) {
            fail(*it,
                QStringLiteral("Dependency download failed: %1 is not a bundle uuid and path")
                    .arg(key.toString()));
            return it->entry;
        }
        it->name = uniqueName(key);
        it->entry.path = m_directory + QLatin1Char('/') + it->name;
        startDownload(key);
        notify(key);
        scheduleSave();
        return m_items.value(key).entry;
    }
    const bool newDependent = !it->entry.dependents.contains(run);
    if (newDependent) {
        it->entry.dependents.insert(run);
        touch(*it);
    }
    if (it->entry.stage == Stage::Downloading && !it->busy) {
        startDownload(key); // left unfinished by a previous process
    }
    if (newDependent) {
        notify(key);
        m_saves->request(false); // a use, not worth an fsync of its own
    }
    return m_items.value(key).entry;
}

void DependencyCache::release(const QString &run, const DependencyKey &key)
{
    auto it = m_items.find(key);
    if (it == m_items.end() || !it->entry.dependents.contains(run)) {
        return;
    }
    it->entry.dependents.remove(run);
    touch(*it);
    if (it->entry.dependents.isEmpty() && it->entry.stage == Stage::Downloading) {
        qCInfo(lcWorkerCache) << "Cancelling the download of" << key.toString()
                              << ": no run needs it any more";
        drop(key);
        return;
    }
    notify(key);
    m_saves->request(false); // a use, not worth an fsync of its own
}

void DependencyCache::releaseRun(const QString &run)
{
    QList<DependencyKey> keys;
    for (const Item &item : std::as_const(m_items)) {
        if (item.entry.dependents.contains(run)) {
            keys.append(item.entry.key);
        }
    }
    for (const DependencyKey &key : keys) {
        release(run, key);
    }
}

std::optional<DependencyCache::Entry> DependencyCache::entry(const DependencyKey &key) const
{
    const auto it = m_items.constFind(key);
    return it == m_items.cend() ? std::nullopt : std::optional(it->entry);
}

QList<DependencyCache::Entry> DependencyCache::entries() const
{
    QList<Entry> out;
    for (const Item &item : m_items) {
        out.append(item.entry);
    }
    return out;
}

qint64 DependencyCache::totalBytes() const
{
    qint64 total = 0;
    for (const Item &item : m_items) {
        total += item.entry.sizeBytes;
    }
    return total;
}

QJsonArray DependencyCache::checkinDependencies() const
{
    QJsonArray out;
    for (const Item &item : m_items) {
        out.append(item.entry.key.toJson());
    }
    return out;
}

void DependencyCache::setMaxBytes(qint64 bytes)
{
    m_maxBytes = qMax<qint64>(0, bytes);
    evict();
}

qint64 DependencyCache::cleanNow(QList<Entry> *removed)
{
    QList<DependencyKey> unused;
    qint64 freed = 0;
    for (const Item &item : std::as_const(m_items)) {
        if (item.entry.stage == Stage::Ready && item.entry.dependents.isEmpty() && !item.busy) {
            unused.append(item.entry.key);
            freed += item.entry.sizeBytes;
            if (removed) {
                removed->append(item.entry);
            }
        }
    }
    for (const DependencyKey &key : unused) {
        drop(key);
    }
    return freed;
}

void DependencyCache::startDownload(const DependencyKey &key)
{
    Item &item = m_items[key];
    item.busy = true;
    item.attemptId = ++m_sequence;
    ++item.attempts;
    item.entry.stage = Stage::Downloading;
    item.entry.sizeBytes = 0;
    item.entry.bytesDownloaded = 0;
    item.entry.message.clear();
    item.staging
        = m_directory + QLatin1Char('/') + DependencyCacheState::stagingName(item.attemptId, item.name);
    QDir().mkpath(m_directory);
    qCInfo(lcWorkerCache) << "Downloading" << key.toString() << "attempt" << item.attempts << "of"
                          << m_maxAttempts;
    server::ContentsDownload *download = m_factory ? m_factory(key, item.staging) : nullptr;
    if (!download) {
        fail(item, QStringLiteral("Dependency download failed: no download could be started"));
        return;
    }
    item.download = download;
    const quint64 attemptId = item.attemptId;
    connect(download, &server::ContentsDownload::progress, this, [this, key, attemptId](qint64 bytes) {
        auto it = m_items.find(key);
        if (it != m_items.end() && it->attemptId == attemptId) {
            it->entry.bytesDownloaded = bytes;
            it->entry.sizeBytes = bytes;
            notify(key);
        }
    });
    connect(download, &server::ContentsDownload::finished, this,
        [this, key, attemptId](const server::ApiError &error) { onDownloadFinished(key, attemptId, error); });
}

void DependencyCache::onDownloadFinished(
    const DependencyKey &key, quint64 attemptId, const server::ApiError &error)
{
    auto it = m_items.find(key);
    if (it == m_items.end() || it->attemptId != attemptId) {
        return;
    }
    it->download = nullptr;
    if (error) {
        // A refused archive is refused again on every try; anything else may be a passing failure.
        const bool refused = error.message.startsWith(RefusedPrefix);
        qCWarning(lcWorkerCache) << "Download of" << key.toString() << "failed (attempt" << it->attempts
                                 << "of" << m_maxAttempts << "):" << error.message;
        if (!refused && it->attempts < m_maxAttempts) {
            startDownload(key);
            notify(key);
        } else {
            fail(*it, QStringLiteral("Dependency download failed: %1").arg(error.message));
        }
        return;
    }
    // Measuring a big tree takes a while: on a pool thread, back here through the application object
    // (this cache may be gone by then; the QPointer is only read on this thread).
    QPointer<DependencyCache> self(this);
    const QString staging = it->staging;
    QThreadPool::globalInstance()->start([self, key, attemptId, staging] {
        const qint64 bytes = DependencyCacheState::diskUsage(staging);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, key, attemptId, bytes] {
                if (self) {
                    self->onMeasured(key, attemptId, bytes);
                }
            },
            Qt::QueuedConnection);
    });
}

void DependencyCache::onMeasured(const DependencyKey &key, quint64 attemptId, qint64 bytes)
{
    auto it = m_items.find(key);
    if (it == m_items.end() || it->attemptId != attemptId) {
        return;
    }
    if (DependencyCacheState::exists(it->entry.path)) {
        DependencyCacheState::discard(it->entry.path); // what a crashed process left of this entry
    }
    if (::rename(QFile::encodeName(it->staging).constData(), QFile::encodeName(it->entry.path).constData())
        != 0) {
        fail(*it,
            QStringLiteral("Dependency download failed: cannot move it to %1: %2")
                .arg(it->entry.path, qt_error_string(errno)));
        return;
    }
    qCInfo(lcWorkerCache) << "Downloaded" << key.toString() << "to" << it->entry.path << bytes << "bytes";
    it->busy = false;
    it->attempts = 0;
    it->entry.stage = Stage::Ready;
    it->entry.sizeBytes = bytes;
    notify(key);
    scheduleSave();
    evict();
}

void DependencyCache::fail(Item &item, const QString &message)
{
    item.busy = false;
    item.download = nullptr;
    item.attemptId = ++m_sequence;
    if (!item.staging.isEmpty() && DependencyCacheState::exists(item.staging)) {
        DependencyCacheState::discard(item.staging);
    }
    item.entry.stage = Stage::Failed;
    item.entry.message = message;
    item.entry.sizeBytes = 0;
    const DependencyKey key = item.entry.key;
    const quint64 attemptId = item.attemptId;
    // Forgotten after a while, so that a later run tries again.
    QTimer::singleShot(m_failedRetentionMs, this, [this, key, attemptId] {
        const auto it = m_items.constFind(key);
        if (it != m_items.cend() && it->entry.stage == Stage::Failed && it->attemptId == attemptId) {
            drop(key);
        }
    });
    notify(key);
    scheduleSave();
}

void DependencyCache::cancelDownload(Item &item)
{
    if (item.download) {
        item.download->disconnect(this);
        item.download->cancel(); // aborts the transfer and removes its partial file
    }
    item.download = nullptr;
    item.busy = false;
    item.attemptId = ++m_sequence;
    if (!item.staging.isEmpty() && DependencyCacheState::exists(item.staging)) {
        DependencyCacheState::discard(item.staging);
    }
    // An archive being unpacked when the download was cancelled still lands at the staging name later.
    m_sweepSoon = true;
}

void DependencyCache::drop(DependencyKey key)
{
    auto it = m_items.find(key);
    if (it == m_items.end()) {
        return;
    }
    if (it->busy) {
        cancelDownload(*it);
    }
    if (!it->entry.path.isEmpty() && DependencyCacheState::exists(it->entry.path)) {
        DependencyCacheState::discard(it->entry.path);
    }
    m_items.erase(it);
    notify(key);
    scheduleSave();
}

void DependencyCache::touch(Item &item)
{
    item.entry.lastUsed = QDateTime::currentDateTimeUtc();
    item.useOrder = ++m_useCounter;
}

void DependencyCache::evict()
{
    qint64 total = totalBytes();
    while (total > m_maxBytes) {
        // Least recently used failed entry first, else the least recently used ready entry nobody uses. A
        // failed entry a run still holds stays until its retention ends, so that the run sees the failure
        // rather than a fresh download.
        const Item *victim = nullptr;
        for (const Stage stage : { Stage::Failed, Stage::Ready }) {
            for (const Item &item : std::as_const(m_items)) {
                if (item.entry.stage != stage || item.busy || !item.entry.dependents.isEmpty()) {
                    continue;
                }
                if (!victim || item.entry.lastUsed < victim->entry.lastUsed
                    || (item.entry.lastUsed == victim->entry.lastUsed && item.useOrder < victim->useOrder)) {
                    victim = &item;
                }
            }
            if (victim) {
                break;
            }
        }
        if (!victim) {
            return; // everything left is in use or downloading
        }
        const DependencyKey key = victim->entry.key;
        qCInfo(lcWorkerCache) << "Evicting" << key.toString() << victim->entry.sizeBytes
                              << "bytes: the cache holds" << total << "bytes, more than" << m_maxBytes;
        total -= victim->entry.sizeBytes;
        drop(key);
    }
}

void DependencyCache::sweepStaging()
{
    QSet<quint64> active;
    for (const Item &item : std::as_const(m_items)) {
        if (item.busy) {
            active.insert(item.attemptId);
        }
    }
    const QStringList names
        = QDir(m_directory).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        const quint64 attempt = DependencyCacheState::stagingAttempt(name);
        if (attempt != 0 && !active.contains(attempt)) {
            DependencyCacheState::discard(m_directory + QLatin1Char('/') + name);
        }
    }
}

void DependencyCache::tick()
{
    evict();
    if (m_sweepSoon || ++m_ticks >= SweepEveryTicks) {
        m_sweepSoon = false;
        m_ticks = 0;
        sweepStaging();
    }
}

QString DependencyCache::uniqueName(const DependencyKey &key) const
{
    QSet<QString> taken;
    for (const Item &item : m_items) {
        taken.insert(item.name);
    }
    QString name = DependencyCacheState::entryName(key);
    while (taken.contains(name) || DependencyCacheState::exists(m_directory + QLatin1Char('/') + name)) {
        name += QLatin1Char('_');
    }
    return name;
}

void DependencyCache::scheduleSave()
{
    m_saves->request();
}

void DependencyCache::save()
{
    m_saves->written();
    QList<DependencyRecord> records;
    for (const Item &item : std::as_const(m_items)) {
        if (item.name.isEmpty()) {
            continue; // an invalid key never had a name
        }
        DependencyRecord r;
        r.key = item.entry.key;
        r.name = item.name;
        r.stage = item.entry.stage == Stage::Ready   ? QStringLiteral("ready")
            : item.entry.stage == Stage::Downloading ? QStringLiteral("downloading")
                                                     : QStringLiteral("failed");
        r.sizeBytes = item.entry.sizeBytes;
        r.dependents = item.entry.dependents;
        r.lastUsed = item.entry.lastUsed;
        r.message = item.entry.message;
        records.append(r);
    }
    QString error;
    if (!DependencyCacheState::write(m_stateFile, records, &error)) {
        qCWarning(lcWorkerCache) << error;
    }
}

} // namespace codalab::worker
