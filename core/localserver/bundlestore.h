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
    int offset = 0; ///< `.offset=N`
    /// Further conditions (BundleSearch's keywords), ANDed, with their values in order.
    QStringList conditions;
    QVariantList values;
    QString orderBy = QStringLiteral("seq DESC"); ///< newest first unless a keyword sorts
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
    /// In the query's order (newest first by default).
    QList<BundleRecord> search(const BundleQuery &query) const;
    /// How many match (`.count`), limit and offset applied as upstream applies them.
    qint64 count(const BundleQuery &query) const;
    /// The sum of a numeric SQL expression over the matches (`data_size=.sum`); null when none match.
    QVariant sum(const BundleQuery &query, const QString &expression) const;
    QList<BundleRecord> inStates(const QStringList &states) const;
    /// uuids of bundles that depend on `uuid`.
    QStringList children(const QString &uuid) const;
    /// Children, their children and so on, each once, nearest first.
    QStringList descendants(const QStringList &uuids) const;
    /// The data_size of the bundles the user owns, summed (upstream's disk_used).
    qint64 diskUsed(const QString &ownerId) const;
    /// The run time of the user's runs, summed (upstream's time_used), in seconds.
    qint64 timeUsed(const QString &ownerId) const;
    /// Every bundle's state, by uuid.
    QHash<QString, QString> states() const;

private:
    QList<BundleRecord> select(
        const QString &where, const QVariantList &values, const QString &tail = {}) const;
    /// The WHERE clause and values of a query.
    static QString whereOf(const BundleQuery &query, QVariantList *values);
    /// Fills in each bundle's dependencies, in the order they were declared.
    void attachDependencies(QList<BundleRecord> &bundles) const;

    ServerStore &m_store;
};

} // namespace codalab::localserver
