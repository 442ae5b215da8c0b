// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlerecord.h"
#include "localserver/serverstore.h"

#include <QHash>

#include <optional>

namespace codalab::localserver {

/// What a bundle search asks for (the keywords of `cl search`, already parsed).
struct BundleQuery
{
    QString ownerId; ///< `.mine`
    QStringList states; ///< `state=a,b`
    QString name; ///< `name=n`
    QString uuidPrefix; ///< `uuid=0x12`
    QString worksheetUuid; ///< only bundles on this worksheet
    int limit = 0; ///< `.limit=N`; 0 = none
};

/// Bundles and their dependencies in the local server's database. Every change that spans rows — a
/// bundle with its dependencies and worksheet item — is one transaction.
class BundleStore
{
public:
    explicit BundleStore(ServerStore &store)
        : m_store(store)
    { }

    bool insert(BundleRecord &bundle, const QString &worksheetUuid, QString *error);
    bool update(const BundleRecord &bundle);
    bool remove(const QString &uuid);
    std::optional<BundleRecord> get(const QString &uuid) const;
    /// Newest first.
    QList<BundleRecord> search(const BundleQuery &query) const;
    QList<BundleRecord> inStates(const QStringList &states) const;
    /// uuids of bundles that depend on `uuid`.
    QStringList children(const QString &uuid) const;
    /// Every bundle's state, by uuid.
    QHash<QString, QString> states() const;

private:
    QList<BundleRecord> select(
        const QString &where, const QVariantList &values, const QString &tail = {}) const;
    QList<DependencyRecord> dependenciesOf(const QString &uuid) const;

    ServerStore &m_store;
};

} // namespace codalab::localserver
