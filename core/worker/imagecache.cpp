// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/imagecache.h"

#include "docker/dockerclient.h"
#include "docker/imageinfo.h"
#include "util/logging.h"
#include "worker/savescheduler.h"
#include "worker/statefile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace codalab::worker {

namespace {

constexpr int StateVersion = 1;

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

} // namespace

ImageCache::ImageCache(docker::DockerClient *docker, QString stateFile, QObject *parent)
    : QObject(parent)
    , m_docker(docker)
    , m_stateFile(std::move(stateFile))
    , m_saves(new SaveScheduler([this] { save(); }, this))
{
    m_timer.setInterval(EvictionIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ImageCache::evict);
    m_timer.start();
}

ImageCache::~ImageCache()
{
    save();
}

bool ImageCache::load(QString *error)
{
    QString warning;
    const auto state = StateFile(m_stateFile, QStringLiteral("image cache state"))
                           .read(error, &warning, [](const QJsonObject &root) {
                               return root.value(QLatin1String("images")).isArray()
                                   && root.value(QLatin1String("version")).toInt() == StateVersion;
                           });
    if (!state) {
        return false;
    }
    if (!warning.isEmpty()) {
        qCWarning(lcWorkerCache).noquote() << warning; // what it remembers can be relearned: start empty
    }
    const QJsonObject root = *state;
    for (const QJsonValue &value : root.value(QLatin1String("images")).toArray()) {
        const QJsonObject o = value.toObject();
        Item item;
        item.entry.image = normalise(o.value(QLatin1String("image")).toString());
        if (item.entry.image.isEmpty() || m_items.contains(item.entry.image)) {
            continue;
        }
        // Not checked now: the first run that asks for it checks it, and a removal of one that is gone
        // just fails quietly.
        item.entry.stage = Stage::Ready;
        item.entry.digest = o.value(QLatin1String("digest")).toString();
        item.entry.sizeBytes = qMax<qint64>(0, o.value(QLatin1String("size_bytes")).toInteger());
        item.entry.pulledByWorker = o.value(QLatin1String("pulled_by_worker")).toBool();
        item.entry.lastUsed
            = QDateTime::fromString(o.value(QLatin1String("last_used")).toString(), Qt::ISODateWithMs);
        item.entry.lastPull
            = QDateTime::fromString(o.value(QLatin1String("last_pull")).toString(), Qt::ISODateWithMs);
        item.useOrder = ++m_useCounter;
        m_items.insert(item.entry.image, item);
    }
    return true;
}

QString ImageCache::normalise(const QString &image)
{
    const QString name = image.trimmed();
    if (name.isEmpty() || name.contains(QLatin1Char('@'))
        || name.lastIndexOf(QLatin1Char(':')) > name.lastIndexOf(QLatin1Char('/'))) {
        return name;
    }
    return name + QStringLiteral(":latest");
}

ImageCache::Entry ImageCache::acquire(const QString &run, const QString &image)
{
    const QString name = normalise(image);
    if (m_runImage.contains(run) && m_runImage.value(run) != name) {
        release(run);
    }
    m_runImage.insert(run, name);
    auto it = m_items.find(name);
    const bool created = it == m_items.end();
    if (created) {
        Item item;
        item.entry.image = name;
        it = m_items.insert(name, item);
    }
    const bool newUser = !it->entry.users.contains(run);
    if (newUser) {
        it->entry.users.insert(run);
        it->entry.lastUsed = QDateTime::currentDateTimeUtc();
        it->useOrder = ++m_useCounter;
    }
    if (name.isEmpty()) {
        if (created) {
            fail(*it, QStringLiteral("No Docker image was given"));
        }
    } else if (!it->busy && it->entry.stage != Stage::Failed && (created || newUser)) {
        startCheck(name);
    }
    if (created || newUser) {
        notify(name);
        m_saves->request(false); // a use, not worth an fsync of its own
    }
    return m_items.value(name).entry;
}

void ImageCache::release(const QString &run)
{
    const QString name = m_runImage.take(run);
    auto it = m_items.find(name);
    if (it == m_items.end() || !it->entry.users.remove(run)) {
        return;
    }
    it->entry.lastUsed = QDateTime::currentDateTimeUtc();
    it->useOrder = ++m_useCounter;
    notify(name);
    m_saves->request(false); // a use, not worth an fsync of its own
}

std::optional<ImageCache::Entry> ImageCache::entry(const QString &image) const
{
    const auto it = m_items.constFind(normalise(image));
    return it == m_items.cend() ? std::nullopt : std::optional(it->entry);
}

QList<ImageCache::Entry> ImageCache::entries() const
{
    QList<Entry> out;
    for (const Item &item : m_items) {
        out.append(item.entry);
    }
    return out;
}

qint64 ImageCache::totalBytes() const
{
    qint64 total = 0;
    for (const Item &item : m_items) {
        if (item.entry.pulledByWorker) {
            total += item.entry.sizeBytes;
        }
    }
    return total;
}

void ImageCache::setMaxBytes(std::optional<qint64> bytes)
{
    m_maxBytes = bytes ? std::optional(qMax<qint64>(0, *bytes)) : std::nullopt;
    evict();
}

qint64 ImageCache::cleanNow(QList<Entry> *removed)
{
    QStringList unused;
    qint64 freed = 0;
    for (const Item &item : std::as_const(m_items)) {
        if (item.entry.pulledByWorker && item.entry.users.isEmpty() && !item.busy) {
            unused.append(item.entry.image);
            freed += item.entry.sizeBytes;
            if (removed) {
                removed->append(item.entry);
            }
        }
    }
    for (const QString &image : unused) {
        removeImage(image);
    }
    return freed;
}

void ImageCache::startCheck(const QString &image)
{
    Item &item = m_items[image];
    item.busy = true;
    item.generation = ++m_generation;
    item.entry.stage = Stage::Pulling;
    item.entry.progress.clear();
    item.entry.message.clear();
    if (m_removing.contains(image)) {
        item.waitsForRemoval = true; // an inspect now could still see the image the removal takes away
        return;
    }
    item.waitsForRemoval = false;
    const quint64 generation = item.generation;
    connect(m_docker->inspectImage(image), &docker::DockerReply::finished, this,
        [this, image, generation](
            const docker::DockerResult &result) { onChecked(image, generation, result); });
}

void ImageCache::onChecked(const QString &image, quint64 generation, const docker::DockerResult &result)
{
    auto it = m_items.find(image);
    if (it == m_items.end() || it->generation != generation) {
        return;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const bool recent = it->entry.lastPull.isValid() && it->entry.lastPull.secsTo(now) < m_refreshSec;
    if (result.ok() && recent) {
        onPulled(image, generation, false, {}, result);
        return;
    }
    it->existedBefore = result.ok();
    startPull(image);
}

void ImageCache::startPull(const QString &image)
{
    Item &item = m_items[image];
    item.entry.lastPull = QDateTime::currentDateTimeUtc();
    const quint64 generation = item.generation;
    qCInfo(lcWorkerCache) << "Pulling" << image;
    docker::ImagePull *pull = m_docker->pullImage(image);
    connect(pull, &docker::ImagePull::progress, this,
        [this, image, generation](const docker::PullStatus &status) {
            auto it = m_items.find(image);
            if (it != m_items.end() && it->generation == generation) {
                it->entry.progress = status.text();
                notify(image);
            }
        });
    connect(pull, &docker::ImagePull::finished, this,
        [this, image, generation](const docker::DockerError &error) {
            if (error) {
                qCInfo(lcWorkerCache) << "Pull of" << image << "failed:" << error.message;
            }
            // Whether it failed or not, what counts is whether the image is here now.
            connect(m_docker->inspectImage(image), &docker::DockerReply::finished, this,
                [this, image, generation, error](const docker::DockerResult &result) {
                    onPulled(image, generation, true, error, result);
                });
        });
    Q_EMIT pullStarted(image);
}

void ImageCache::onPulled(const QString &image, quint64 generation, bool pulled,
    const docker::DockerError &pullError, const docker::DockerResult &inspect)
{
    auto it = m_items.find(image);
    if (it == m_items.end() || it->generation != generation) {
        return;
    }
    if (!inspect.ok()) {
        fail(*it, pullError ? pullError.message : inspect.error.message);
        return;
    }
    const docker::ImageInfo info = docker::ImageInfo::fromInspect(inspect.json.object());
    it->busy = false;
    it->entry.stage = Stage::Ready;
    it->entry.digest = info.digest();
    it->entry.sizeBytes = info.sizeBytes;
    it->entry.progress.clear();
    it->entry.message.clear();
    // Only what this worker brought in is its to remove.
    if (pulled && !pullError && !it->existedBefore) {
        it->entry.pulledByWorker = true;
    }
    it->existedBefore = false;
    notify(image);
    scheduleSave();
    evict();
}

void ImageCache::fail(Item &item, const QString &message)
{
    qCWarning(lcWorkerCache) << "Image" << item.entry.image << "is not available:" << message;
    item.busy = false;
    item.generation = ++m_generation;
    item.entry.stage = Stage::Failed;
    item.entry.message = message;
    item.entry.progress.clear();
    const QString image = item.entry.image;
    const quint64 generation = item.generation;
    // Forgotten after a while, so that a later run tries again.
    QTimer::singleShot(m_failedRetentionMs, this, [this, image, generation] {
        const auto it = m_items.constFind(image);
        if (it != m_items.cend() && it->entry.stage == Stage::Failed && it->generation == generation) {
            m_items.remove(image);
            notify(image);
            scheduleSave();
        }
    });
    notify(image);
    scheduleSave();
}

void ImageCache::evict()
{
    if (!m_maxBytes) {
        return;
    }
    qint64 total = totalBytes();
    while (total > *m_maxBytes) {
        const Item *victim = nullptr;
        for (const Item &item : std::as_const(m_items)) {
            if (!item.entry.pulledByWorker || !item.entry.users.isEmpty() || item.busy) {
                continue;
            }
            if (!victim || item.entry.lastUsed < victim->entry.lastUsed
                || (item.entry.lastUsed == victim->entry.lastUsed && item.useOrder < victim->useOrder)) {
                victim = &item;
            }
        }
        if (!victim) {
            return; // all in use
        }
        qCInfo(lcWorkerCache) << "Removing image" << victim->entry.image << victim->entry.sizeBytes
                              << "bytes: this worker's images take" << total << "bytes, more than"
                              << *m_maxBytes;
        total -= victim->entry.sizeBytes;
        removeImage(victim->entry.image);
    }
}

void ImageCache::removeImage(QString image)
{
    m_items.remove(image);
    m_removing.insert(image);
    notify(image);
    scheduleSave();
    connect(m_docker->removeImage(image, true), &docker::DockerReply::finished, this,
        [this, image](const docker::DockerResult &result) {
            m_removing.remove(image);
            if (!result.ok() && result.error.kind != docker::DockerError::Kind::NotFound) {
                qCWarning(lcWorkerCache) << "Could not remove image" << image << ":" << result.error.message;
            }
            const auto it = m_items.constFind(image);
            if (it != m_items.cend() && it->waitsForRemoval) {
                startCheck(image);
            }
        });
}

void ImageCache::scheduleSave()
{
    m_saves->request();
}

void ImageCache::save()
{
    m_saves->written();
    QJsonArray images;
    for (const Item &item : std::as_const(m_items)) {
        // What is worth keeping: what this worker pulled (to remove it later) and when an image was last
        // checked (so a restart does not pull again at once); not a failure or a first pull in flight.
        if (!item.entry.pulledByWorker && item.entry.stage != Stage::Ready) {
            continue;
        }
        images.append(QJsonObject { { QStringLiteral("image"), item.entry.image },
            { QStringLiteral("digest"), item.entry.digest },
            { QStringLiteral("size_bytes"), item.entry.sizeBytes },
            { QStringLiteral("pulled_by_worker"), item.entry.pulledByWorker },
            { QStringLiteral("last_used"), timeText(item.entry.lastUsed) },
            { QStringLiteral("last_pull"), timeText(item.entry.lastPull) } });
    }
    const QJsonObject root { { QStringLiteral("version"), StateVersion },
        { QStringLiteral("images"), images } };
    QString error;
    if (!StateFile(m_stateFile).save(root, &error)) {
        qCWarning(lcWorkerCache) << "Cannot write the image cache state" << m_stateFile << ":" << error;
    }
}

} // namespace codalab::worker
