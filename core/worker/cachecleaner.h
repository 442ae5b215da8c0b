// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/controlerror.h"

#include <QJsonObject>
#include <QJsonValue>

namespace codalab::worker {

class DependencyCache;
class ImageCache;

/// The worker's caches as the control socket shows and cleans them.
///
/// `caches` answers {dependencies: [{bundle_uuid, subpath, state ("downloading", "ready", "failed"),
/// size_bytes, last_used (epoch s or null), in_use, dependents}], dependencies_bytes, dependencies_max_bytes,
/// images: [{image, digest, state ("pulling", "ready", "failed"), size_bytes, last_used, in_use,
/// pulled_by_worker}], images_bytes (of the images this worker pulled), images_max_bytes (null: no limit)}.
///
/// `cleanCaches` {dependencies: bool, images: bool} (each true when left out) removes at once every ready
/// dependency no run uses and every image this worker pulled that no run uses; nothing being downloaded or
/// pulled, nothing in use and no image the user pulled. It answers {dependencies: {removed: [...],
/// bytes_freed}, images: {removed: [...], bytes_freed}, bytes_freed} with the removed entries in the form
/// `caches` lists them. (Images leave the daemon a moment later: `docker rmi` runs asynchronously.)
///
/// Usage: WorkerControl makes one over the worker's caches and passes it these two methods through call().
class CacheCleaner
{
public:
    CacheCleaner(DependencyCache *dependencies, ImageCache *images);

    QJsonObject describe() const;
    QJsonObject clean(bool dependencies, bool images);
    /// `caches` or `cleanCaches` as the control socket runs them; Undefined for any other method.
    QJsonValue call(const QString &method, const QJsonValue &params, ControlError *error);

private:
    DependencyCache *m_dependencies;
    ImageCache *m_images;
};

} // namespace codalab::worker
