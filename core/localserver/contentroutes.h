// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlestore.h"
#include "localserver/httprequest.h"
#include "localserver/httpresponder.h"
#include "util/tasklink.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>

namespace codalab::localserver {

class LocalHttpServer;

/// GET /rest/bundles/<uuid>/contents/{info,blob}/<path> (uploads are BundleUploads): target info with depth,
/// and reads with an inclusive Range, head/tail lines, gzip on request and directories as .tar.gz. A path
/// under a dependency key resolves into the parent bundle, as upstream. Reads of a bundle that runs on a
/// worker go to `workerReader` when it is set (the worker's `read` protocol).
class ContentRoutes : public QObject
{
    Q_OBJECT
public:
    /// Where a contents path leads: a bundle, a path inside it, and the file on disk.
    struct Target
    {
        QString bundleUuid;
        QString subpath;
        QString fsPath;

        /// What upstream calls it: the last part of the subpath, or the bundle uuid for the bundle itself.
        QString name() const
        {
            return subpath.isEmpty() ? bundleUuid : subpath.section(QLatin1Char('/'), -1);
        }
    };
    /// Answers a read of a bundle running on a worker; returns false when the bundle is not on one.
    using WorkerReader = std::function<bool(const BundleRecord &bundle, const QString &subpath, bool info,
        const HttpRequest &request, const HttpResponder &responder)>;

    /// `tmpDir` holds directory archives while they are sent (the server clears it at every start).
    ContentRoutes(BundleStore &bundles, QString bundlesDir, QString tmpDir = {});
    ~ContentRoutes() override { m_link->detach(); }
    void install(LocalHttpServer &http);

    WorkerReader workerReader;

private:
    void info(HttpRequest &request, const HttpResponder &responder);
    void blob(HttpRequest &request, const HttpResponder &responder);
    std::optional<Target> resolve(const BundleRecord &bundle, const QString &subpath, QString *error) const;
    QString bundlePath(const QString &uuid) const;
    /// The target on this server's disk; nullopt once answered (by the bundle's worker, or with 404).
    std::optional<Target> localTarget(const BundleRecord &bundle, const QString &subpath, bool info,
        const HttpRequest &request, const HttpResponder &responder) const;
    /// The bundle the route's first capture names, or nullopt after answering 404.
    std::optional<BundleRecord> findBundle(const HttpRequest &request, const HttpResponder &responder) const;

    std::shared_ptr<util::TaskLink> m_link;
    BundleStore &m_bundles;
    QString m_bundlesDir;
    QString m_tmpDir;
};

} // namespace codalab::localserver
