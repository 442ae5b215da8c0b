// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundlemaker.h"

#include "localserver/bundlestore.h"
#include "localserver/quotameter.h"
#include "server/bundlestate.h"
#include "server/metadatakey.h"
#include "util/targetinfo.h"
#include "util/treecopy.h"

#include <QDir>
#include <QThreadPool>

namespace codalab::localserver {

using server::BundleState;
using server::MetadataKey;

BundleMaker::BundleMaker(BundleStore &bundles, const ServerStore &store, const QuotaMeter &quotas,
    QString bundlesDir, QObject *parent)
    : QObject(parent)
    , m_bundles(bundles)
    , m_store(store)
    , m_quotas(quotas)
    , m_bundlesDir(std::move(bundlesDir))
    , m_link(std::make_shared<util::TaskLink>(this))
{ }

BundleMaker::~BundleMaker()
{
    m_link->detach();
}

void BundleMaker::make(BundleRecord bundle)
{
    // What each dependency names on disk, checked before anything is copied.
    struct Source
    {
        QString from;
        QString key;
    };
    QList<Source> sources;
    for (const DependencyRecord &d : std::as_const(bundle.dependencies)) {
        const QString from = QDir(m_bundlesDir).filePath(d.parentUuid)
            + (d.parentPath.isEmpty() ? QString() : QLatin1Char('/') + d.parentPath);
        if (!QFileInfo::exists(from) && !QFileInfo(from).isSymLink()) {
            finish(bundle.uuid, false,
                QStringLiteral("Invalid dependency %1/%2").arg(d.parentUuid, d.parentPath), 0);
            return;
        }
        sources << Source { from, d.childPath };
    }
    bundle.state = BundleState::Making;
    bundle.metadata.remove(MetadataKey::StagedStatus);
    m_bundles.update(bundle);
    const auto owner = m_store.userById(bundle.ownerId);
    const QuotaMeter::Budget budget = owner ? m_quotas.diskBudget(*owner) : QuotaMeter::Budget {};
    const QString incoming = QDir(m_bundlesDir).filePath(bundle.uuid + QStringLiteral(".incoming"));
    const QString target = QDir(m_bundlesDir).filePath(bundle.uuid);
    const QString uuid = bundle.uuid;
    QThreadPool::globalInstance()->start([sources, incoming, target, uuid, budget, link = m_link,
                                             self = this] {
        util::TreeCopy::remove(incoming);
        util::TreeCopy::Result copied;
        copied.ok = true;
        // One dependency under no key is the bundle itself; otherwise each goes in under its key.
        if (sources.size() == 1 && sources.first().key.isEmpty()) {
            copied = util::TreeCopy::copy(sources.first().from, incoming, budget.bytes);
        } else if (!QDir().mkpath(incoming)) {
            copied = { false, QStringLiteral("Cannot make %1").arg(incoming), 0 };
        }
        for (const Source &s : sources) {
            if (!copied.ok || s.key.isEmpty()) {
                continue;
            }
            const QString to = incoming + QLatin1Char('/') + s.key;
            QDir().mkpath(QFileInfo(to).absolutePath());
            const util::TreeCopy::Result one = util::TreeCopy::copy(s.from, to, budget.bytes - copied.bytes);
            copied.ok = one.ok;
            copied.error = one.error;
            copied.bytes += one.bytes;
        }
        if (!copied.ok && copied.error.contains(QLatin1String("pass the limit"))) {
            copied.error += QStringLiteral(" (%1)").arg(budget.reason);
        }
        bool ok = copied.ok;
        if (ok) {
            util::TreeCopy::remove(target);
            ok = QFile::rename(incoming, target);
            if (!ok) {
                copied.error = QStringLiteral("Cannot put the made bundle in place");
            }
        }
        if (!ok) {
            util::TreeCopy::remove(incoming);
        }
        const qint64 size = ok ? util::TargetInfo::diskSize(target) : 0;
        link->post([self, uuid, ok, error = copied.error, size] { self->finish(uuid, ok, error, size); });
    });
}

void BundleMaker::finish(const QString &uuid, bool ok, const QString &error, qint64 size)
{
    auto bundle = m_bundles.get(uuid);
    if (!bundle) {
        util::TreeCopy::remove(QDir(m_bundlesDir).filePath(uuid)); // deleted while it was being made
        return;
    }
    bundle->state = ok ? BundleState::Ready : BundleState::Failed;
    bundle->metadata.insert(MetadataKey::DataSize, size);
    if (!ok) {
        bundle->metadata.insert(MetadataKey::FailureMessage, error);
    }
    m_bundles.update(*bundle);
    if (onChanged) {
        onChanged();
    }
}

} // namespace codalab::localserver
