// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlerecord.h"
#include "localserver/httprequest.h"
#include "localserver/httpresponder.h"
#include "util/tasklink.h"

#include <QObject>
#include <QSet>

#include <functional>
#include <memory>

namespace codalab::localserver {

class BundleStore;
class LocalHttpServer;
class QuotaMeter;
class ServerStore;

/// PUT /rest/bundles/<uuid>/contents/blob/ (`cl upload`, the desktop's uploads, a worker's results), as
/// upstream's _update_bundle_contents_blob: with `unpack` (the default) a .tar.gz, .tgz, .tar.bz2, .tar.xz,
/// .tar or .zip becomes a directory and a .gz or .bz2 a file; otherwise the body is the file. Archives are
/// unpacked by SafeArchive on a pool thread (the server goes on answering, as the CLI's quota checks during
/// an upload need), bounded by the owner's disk quota left and the free disk less a reserve, and the result
/// replaces the bundle's contents only when complete. A refusal says "Upload failed: ..." and, with
/// finalize_on_failure (the CLI always sends it), leaves the bundle `failed` with that message.
class BundleUploads : public QObject
{
    Q_OBJECT
public:
    BundleUploads(ServerStore &store, BundleStore &bundles, const QuotaMeter &quotas, QString bundlesDir,
        QObject *parent = nullptr);
    ~BundleUploads() override;
    void install(LocalHttpServer &http);

    std::function<void()> onChanged;

private:
    struct Job;
    void upload(HttpRequest &request, const HttpResponder &responder);
    /// On the GUI thread, after the pool thread unpacked `job`.
    void finish(const std::shared_ptr<Job> &job);
    void fail(BundleRecord bundle, const HttpResponder &responder, bool finalize, const QString &message,
        int status = 400);

    ServerStore &m_store;
    BundleStore &m_bundles;
    const QuotaMeter &m_quotas;
    QString m_bundlesDir;
    QSet<QString> m_inProgress;
    std::shared_ptr<util::TaskLink> m_link;
};

} // namespace codalab::localserver
