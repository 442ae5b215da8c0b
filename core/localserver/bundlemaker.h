// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlerecord.h"
#include "util/tasklink.h"

#include <QObject>

#include <functional>
#include <memory>

namespace codalab::localserver {

class BundleStore;
class QuotaMeter;
class ServerStore;

/// Makes `make` bundles (`cl make`) as upstream's bundle manager does, once the scheduler found their
/// parents ready: the bundle goes `making`, its dependencies are copied on a pool thread (one dependency
/// under no key becomes the whole bundle, a file or a directory; otherwise each goes under its key; links
/// stay links) into `<uuid>.incoming`, renamed into place when complete, and it ends `ready` with its
/// data_size, or `failed` saying why (a missing path, the owner's disk quota or the free disk passed).
class BundleMaker : public QObject
{
    Q_OBJECT
public:
    BundleMaker(BundleStore &bundles, const ServerStore &store, const QuotaMeter &quotas, QString bundlesDir,
        QObject *parent = nullptr);
    ~BundleMaker() override;

    /// `bundle` is a make bundle whose parents are ready: starts making it.
    void make(BundleRecord bundle);
    std::function<void()> onChanged;

private:
    void finish(const QString &uuid, bool ok, const QString &error, qint64 size);

    BundleStore &m_bundles;
    const ServerStore &m_store;
    const QuotaMeter &m_quotas;
    QString m_bundlesDir;
    std::shared_ptr<util::TaskLink> m_link;
};

} // namespace codalab::localserver
