// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/cachecleaner.h"

#include "util/logging.h"
#include "worker/dependencycache.h"
#include "worker/imagecache.h"

#include <QJsonArray>

#include <algorithm>

namespace codalab::worker {

namespace {

QJsonValue epochOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(double(t.toSecsSinceEpoch())) : QJsonValue();
}

QString stageName(DependencyCache::Stage stage)
{
    switch (stage) {
    case DependencyCache::Stage::Downloading:
        return QStringLiteral("downloading");
    case DependencyCache::Stage::Ready:
        return QStringLiteral("ready");
    case DependencyCache::Stage::Failed:
        break;
    }
    return QStringLiteral("failed");
}

QString stageName(ImageCache::Stage stage)
{
    switch (stage) {
    case ImageCache::Stage::Pulling:
        return QStringLiteral("pulling");
    case ImageCache::Stage::Ready:
        return QStringLiteral("ready");
    case ImageCache::Stage::Failed:
        break;
    }
    return QStringLiteral("failed");
}

QJsonObject toJson(const DependencyCache::Entry &e)
{
    return { { QStringLiteral("bundle_uuid"), e.key.parentUuid },
        { QStringLiteral("subpath"), e.key.parentPath }, { QStringLiteral("state"), stageName(e.stage) },
        { QStringLiteral("size_bytes"), double(e.sizeBytes) },
        { QStringLiteral("last_used"), epochOrNull(e.lastUsed) },
        { QStringLiteral("in_use"), !e.dependents.isEmpty() },
        { QStringLiteral("dependents"), int(e.dependents.size()) } };
}

QJsonObject toJson(const ImageCache::Entry &e)
{
    return { { QStringLiteral("image"), e.image }, { QStringLiteral("digest"), e.digest },
        { QStringLiteral("state"), stageName(e.stage) },
        { QStringLiteral("size_bytes"), double(e.sizeBytes) },
        { QStringLiteral("last_used"), epochOrNull(e.lastUsed) },
        { QStringLiteral("in_use"), !e.users.isEmpty() },
        { QStringLiteral("pulled_by_worker"), e.pulledByWorker } };
}

/// Most recently used first, then by name, so the answer is stable from one call to the next.
template<typename Entry, typename Name> void sortEntries(QList<Entry> &entries, Name name)
{
    std::sort(entries.begin(), entries.end(), [&name](const Entry &a, const Entry &b) {
        return a.lastUsed != b.lastUsed ? a.lastUsed > b.lastUsed : name(a) < name(b);
    });
}

template<typename Entry> QJsonArray toJsonArray(const QList<Entry> &entries)
{
    QJsonArray array;
    for (const Entry &e : entries) {
        array.append(toJson(e));
    }
    return array;
}

/// A flag of cleanCaches: true when left out; anything but a bool is refused.
bool readFlag(const QJsonObject &params, QLatin1String key, bool *ok)
{
    const QJsonValue v = params.value(key);
    if (v.isUndefined() || v.isNull()) {
        return true;
    }
    *ok = *ok && v.isBool();
    return v.toBool();
}

} // namespace

CacheCleaner::CacheCleaner(DependencyCache *dependencies, ImageCache *images)
    : m_dependencies(dependencies)
    , m_images(images)
{ }

QJsonObject CacheCleaner::describe() const
{
    QList<DependencyCache::Entry> deps = m_dependencies->entries();
    sortEntries(deps, [](const DependencyCache::Entry &e) { return e.key.toString(); });
    QList<ImageCache::Entry> images = m_images->entries();
    sortEntries(images, [](const ImageCache::Entry &e) { return e.image; });
    const std::optional<qint64> imagesMax = m_images->maxBytes();
    return { { QStringLiteral("dependencies"), toJsonArray(deps) },
        { QStringLiteral("dependencies_bytes"), double(m_dependencies->totalBytes()) },
        { QStringLiteral("dependencies_max_bytes"), double(m_dependencies->maxBytes()) },
        { QStringLiteral("images"), toJsonArray(images) },
        { QStringLiteral("images_bytes"), double(m_images->totalBytes()) },
        { QStringLiteral("images_max_bytes"), imagesMax ? QJsonValue(double(*imagesMax)) : QJsonValue() } };
}

QJsonObject CacheCleaner::clean(bool dependencies, bool images)
{
    QList<DependencyCache::Entry> removedDeps;
    QList<ImageCache::Entry> removedImages;
    const qint64 depBytes = dependencies ? m_dependencies->cleanNow(&removedDeps) : 0;
    const qint64 imageBytes = images ? m_images->cleanNow(&removedImages) : 0;
    qCInfo(lcWorkerCache) << "Cleaned the caches on request:" << removedDeps.size() << "dependencies,"
                          << removedImages.size() << "images," << depBytes + imageBytes << "bytes";
    return { { QStringLiteral("dependencies"),
                 QJsonObject { { QStringLiteral("removed"), toJsonArray(removedDeps) },
                     { QStringLiteral("bytes_freed"), double(depBytes) } } },
        { QStringLiteral("images"),
            QJsonObject { { QStringLiteral("removed"), toJsonArray(removedImages) },
                { QStringLiteral("bytes_freed"), double(imageBytes) } } },
        { QStringLiteral("bytes_freed"), double(depBytes + imageBytes) } };
}

QJsonValue CacheCleaner::call(const QString &method, const QJsonValue &params, ControlError *error)
{
    if (method == QLatin1String("caches")) {
        return describe();
    }
    if (method != QLatin1String("cleanCaches")) {
        return QJsonValue(QJsonValue::Undefined);
    }
    const QJsonObject p = params.toObject();
    bool ok = params.isUndefined() || params.isNull() || params.isObject();
    const bool dependencies = readFlag(p, QLatin1String("dependencies"), &ok);
    const bool images = readFlag(p, QLatin1String("images"), &ok);
    if (!ok) {
        *error = ControlError::invalidParams(QStringLiteral(
            "cleanCaches takes {\"dependencies\": bool, \"images\": bool} (each true if left out)"));
        return {};
    }
    return clean(dependencies, images);
}

} // namespace codalab::worker
