// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundlestore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace codalab::localserver {

namespace {
const QString columns = QStringLiteral("seq, uuid, bundle_type, owner_id, command, state, metadata, "
                                       "is_anonymous, worker_id, worker_user_id, state_changed, frozen");
}

bool BundleStore::insert(BundleRecord &bundle, const QString &worksheetUuid, QString *error)
{
    bundle.stateChanged = QDateTime::currentSecsSinceEpoch();
    return m_store.transaction([&] {
        QSqlQuery q(m_store.database());
        q.prepare(QStringLiteral(
            "INSERT INTO bundles (uuid, bundle_type, owner_id, command, state, metadata, is_anonymous,"
            " state_changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
        q.addBindValue(bundle.uuid);
        q.addBindValue(bundle.bundleType);
        q.addBindValue(bundle.ownerId);
        q.addBindValue(bundle.command);
        q.addBindValue(bundle.state);
        q.addBindValue(QString::fromUtf8(QJsonDocument(bundle.metadata).toJson(QJsonDocument::Compact)));
        q.addBindValue(bundle.isAnonymous ? 1 : 0);
        q.addBindValue(bundle.stateChanged);
        if (!q.exec()) {
            *error = q.lastError().text().contains(QLatin1String("UNIQUE"))
                ? QStringLiteral("Bundle %1 already exists").arg(bundle.uuid)
                : q.lastError().text();
            return false;
        }
        bundle.seq = q.lastInsertId().toLongLong();
        for (const DependencyRecord &d : std::as_const(bundle.dependencies)) {
            q.prepare(QStringLiteral("INSERT INTO dependencies (child_uuid, child_path, parent_uuid, "
                                     "parent_path) VALUES (?, ?, ?, ?)"));
            q.addBindValue(bundle.uuid);
            q.addBindValue(d.childPath);
            q.addBindValue(d.parentUuid);
            q.addBindValue(d.parentPath);
            if (!q.exec()) {
                *error = QStringLiteral("Dependency %1: %2").arg(d.childPath, q.lastError().text());
                return false;
            }
        }
        if (!worksheetUuid.isEmpty()) {
            q.prepare(QStringLiteral("INSERT INTO worksheet_items (worksheet_uuid, type, bundle_uuid) VALUES"
                                     " (?, 'bundle', ?)"));
            q.addBindValue(worksheetUuid);
            q.addBindValue(bundle.uuid);
            if (!q.exec()) {
                *error = QStringLiteral("Cannot add the bundle to worksheet %1").arg(worksheetUuid);
                return false;
            }
        }
        return true;
    });
}

bool BundleStore::update(const BundleRecord &bundle)
{
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral("UPDATE bundles SET command = ?, state = ?, metadata = ?, worker_id = ?, "
                             "worker_user_id = ?, frozen = ?,"
                             " is_anonymous = ?, state_changed = CASE WHEN state = ? THEN state_changed ELSE "
                             "? END WHERE uuid = ?"));
    q.addBindValue(bundle.command);
    q.addBindValue(bundle.state);
    q.addBindValue(QString::fromUtf8(QJsonDocument(bundle.metadata).toJson(QJsonDocument::Compact)));
    q.addBindValue(bundle.workerId);
    q.addBindValue(bundle.workerUserId);
    q.addBindValue(bundle.frozen > 0 ? QVariant(bundle.frozen) : QVariant(QMetaType(QMetaType::LongLong)));
    q.addBindValue(bundle.isAnonymous ? 1 : 0);
    q.addBindValue(bundle.state);
    q.addBindValue(QDateTime::currentSecsSinceEpoch());
    q.addBindValue(bundle.uuid);
    return q.exec() && q.numRowsAffected() == 1;
}

bool BundleStore::remove(const QString &uuid)
{
    return m_store.transaction([&] {
        QSqlQuery q(m_store.database());
        for (const char *sql :
            { "DELETE FROM dependencies WHERE child_uuid = ?",
                "DELETE FROM worksheet_items WHERE bundle_uuid = ?", "DELETE FROM bundles WHERE uuid = ?" }) {
            q.prepare(QString::fromLatin1(sql));
            q.addBindValue(uuid);
            if (!q.exec()) {
                return false;
            }
        }
        return true;
    });
}

std::optional<BundleRecord> BundleStore::get(const QString &uuid) const
{
    const QList<BundleRecord> found = select(QStringLiteral("uuid = ?"), { uuid });
    return found.isEmpty() ? std::nullopt : std::optional(found.first());
}

QString BundleStore::whereOf(const BundleQuery &query, QVariantList *values)
{
    QStringList where { QStringLiteral("1 = 1") };
    if (!query.ownerId.isEmpty()) {
        where << QStringLiteral("owner_id = ?");
        *values << query.ownerId;
    }
    if (!query.states.isEmpty()) {
        where << QStringLiteral("state IN (%1)")
                     .arg(QStringList(query.states.size(), QStringLiteral("?")).join(QLatin1Char(',')));
        for (const QString &s : query.states) {
            *values << s;
        }
    }
    if (!query.name.isEmpty()) {
        where << QStringLiteral("json_extract(metadata, '$.name') = ?");
        *values << query.name;
    }
    if (!query.uuidPrefix.isEmpty()) {
        where << QStringLiteral("uuid LIKE ? ESCAPE '\\'");
        *values << QString(query.uuidPrefix + QLatin1Char('%'));
    }
    if (!query.worksheetUuid.isEmpty()) {
        where << QStringLiteral("uuid IN (SELECT bundle_uuid FROM worksheet_items WHERE worksheet_uuid = ?)");
        *values << query.worksheetUuid;
    }
    where << query.conditions;
    *values << query.values;
    return where.join(QLatin1String(" AND "));
}

QList<BundleRecord> BundleStore::search(const BundleQuery &query) const
{
    QVariantList values;
    const QString where = whereOf(query, &values);
    QString tail = QStringLiteral(" ORDER BY %1").arg(query.orderBy);
    if (query.limit > 0 || query.offset > 0) {
        tail += QStringLiteral(" LIMIT %1 OFFSET %2")
                    .arg(query.limit > 0 ? query.limit : -1)
                    .arg(query.offset);
    }
    return select(where, values, tail);
}

qint64 BundleStore::count(const BundleQuery &query) const
{
    QVariantList values;
    const QString where = whereOf(query, &values);
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM (SELECT seq FROM bundles WHERE %1 LIMIT %2 OFFSET %3)")
                  .arg(where)
                  .arg(query.limit > 0 ? query.limit : -1)
                  .arg(query.offset));
    for (const QVariant &v : std::as_const(values)) {
        q.addBindValue(v);
    }
    return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
}

QVariant BundleStore::sum(const BundleQuery &query, const QString &expression) const
{
    QVariantList values;
    const QString where = whereOf(query, &values);
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral("SELECT SUM(%1) FROM (SELECT metadata FROM bundles WHERE %2 LIMIT %3 OFFSET %4)")
                  .arg(expression, where)
                  .arg(query.limit > 0 ? query.limit : -1)
                  .arg(query.offset));
    for (const QVariant &v : std::as_const(values)) {
        q.addBindValue(v);
    }
    return q.exec() && q.next() ? q.value(0) : QVariant();
}

QList<BundleRecord> BundleStore::inStates(const QStringList &states) const
{
    BundleQuery q;
    q.states = states;
    QList<BundleRecord> out = search(q);
    std::reverse(out.begin(), out.end()); // oldest first: the scheduler serves in order of creation
    return out;
}

QStringList BundleStore::children(const QString &uuid) const
{
    QStringList out;
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral("SELECT DISTINCT child_uuid FROM dependencies WHERE parent_uuid = ?"));
    q.addBindValue(uuid);
    q.exec();
    while (q.next()) {
        out << q.value(0).toString();
    }
    return out;
}

qint64 BundleStore::diskUsed(const QString &ownerId) const
{
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral(
        "SELECT COALESCE(SUM(json_extract(metadata, '$.data_size')), 0) FROM bundles WHERE owner_id = ?"));
    q.addBindValue(ownerId);
    return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
}

qint64 BundleStore::timeUsed(const QString &ownerId) const
{
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral("SELECT COALESCE(SUM(json_extract(metadata, '$.time')), 0) FROM bundles WHERE"
                             " owner_id = ? AND bundle_type = 'run'"));
    q.addBindValue(ownerId);
    return q.exec() && q.next() ? qint64(q.value(0).toDouble()) : 0;
}

QStringList BundleStore::descendants(const QStringList &uuids) const
{
    QStringList out;
    QStringList frontier = uuids;
    while (!frontier.isEmpty()) {
        QStringList next;
        for (const QString &uuid : std::as_const(frontier)) {
            for (const QString &child : children(uuid)) {
                if (!out.contains(child) && !uuids.contains(child)) {
                    out << child;
                    next << child;
                }
            }
        }
        frontier = next;
    }
    return out;
}

QHash<QString, QString> BundleStore::states() const
{
    QHash<QString, QString> out;
    QSqlQuery q(m_store.database());
    q.exec(QStringLiteral("SELECT uuid, state FROM bundles"));
    while (q.next()) {
        out.insert(q.value(0).toString(), q.value(1).toString());
    }
    return out;
}

QList<BundleRecord> BundleStore::select(
    const QString &where, const QVariantList &values, const QString &tail) const
{
    QList<BundleRecord> out;
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral("SELECT %1 FROM bundles WHERE %2%3").arg(columns, where, tail));
    for (const QVariant &v : values) {
        q.addBindValue(v);
    }
    if (!q.exec()) {
        return out;
    }
    while (q.next()) {
        BundleRecord b;
        b.seq = q.value(0).toLongLong();
        b.uuid = q.value(1).toString();
        b.bundleType = q.value(2).toString();
        b.ownerId = q.value(3).toString();
        b.command = q.value(4).toString();
        b.state = q.value(5).toString();
        b.metadata = QJsonDocument::fromJson(q.value(6).toString().toUtf8()).object();
        b.isAnonymous = q.value(7).toBool();
        b.workerId = q.value(8).toString();
        b.workerUserId = q.value(9).toString();
        b.stateChanged = q.value(10).toLongLong();
        b.frozen = q.value(11).toLongLong();
        out.append(b);
    }
    attachDependencies(out);
    return out;
}

void BundleStore::attachDependencies(QList<BundleRecord> &bundles) const
{
    // One query per chunk of bundles rather than one per bundle: the scheduler reads every staged run on each
    // check-in, and a prepared statement per bundle was most of that cost.
    constexpr qsizetype Chunk = 500; // well under SQLite's bound-parameter limit
    QHash<QString, BundleRecord *> byUuid;
    for (BundleRecord &b : bundles) {
        byUuid.insert(b.uuid, &b);
    }
    for (qsizetype first = 0; first < bundles.size(); first += Chunk) {
        const qsizetype n = qMin(Chunk, bundles.size() - first);
        QStringList marks(n, QStringLiteral("?"));
        QSqlQuery q(m_store.database());
        q.prepare(QStringLiteral("SELECT child_uuid, child_path, parent_uuid, parent_path FROM dependencies "
                                 "WHERE child_uuid IN (%1) ORDER BY rowid")
                      .arg(marks.join(QLatin1Char(','))));
        for (qsizetype i = first; i < first + n; ++i) {
            q.addBindValue(bundles[i].uuid);
        }
        q.exec();
        while (q.next()) {
            if (BundleRecord *b = byUuid.value(q.value(0).toString())) {
                b->dependencies.append(
                    { b->uuid, q.value(1).toString(), q.value(2).toString(), q.value(3).toString() });
            }
        }
    }
}

} // namespace codalab::localserver
