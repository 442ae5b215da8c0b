// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/worksheetstore.h"

#include "util/bundleuuid.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace codalab::localserver {

namespace {

const QString columns = QStringLiteral(
    "uuid, name, title, owner_id, tags, frozen, is_anonymous, date_created, date_last_modified");

WorksheetRecord worksheetFrom(const QSqlQuery &q)
{
    WorksheetRecord ws;
    ws.uuid = q.value(0).toString();
    ws.name = q.value(1).toString();
    ws.title = q.value(2).toString();
    ws.ownerId = q.value(3).toString();
    for (const QJsonValue &tag : QJsonDocument::fromJson(q.value(4).toString().toUtf8()).array()) {
        ws.tags << tag.toString();
    }
    ws.frozen = q.value(5).toLongLong();
    ws.isAnonymous = q.value(6).toBool();
    ws.dateCreated = q.value(7).toLongLong();
    ws.dateLastModified = q.value(8).toLongLong();
    return ws;
}

QString tagsJson(const QStringList &tags)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(tags)).toJson(QJsonDocument::Compact));
}

/// One condition of a `key=value` keyword on a column: sorting, a list, a LIKE pattern or equality.
struct Condition
{
    QString sql;
    QVariantList values;
};

Condition valueCondition(const QString &column, const QString &value)
{
    if (value.contains(QLatin1Char(','))) {
        const QStringList list = value.split(QLatin1Char(','));
        Condition c { QStringLiteral("%1 IN (%2)")
                          .arg(column, QStringList(list.size(), QStringLiteral("?")).join(QLatin1Char(','))),
            {} };
        for (const QString &v : list) {
            c.values << v;
        }
        return c;
    }
    if (value.contains(QLatin1Char('%'))) {
        return { QStringLiteral("%1 LIKE ?").arg(column), { value } };
    }
    return { QStringLiteral("%1 = ?").arg(column), { value } };
}

} // namespace

bool WorksheetStore::isValidName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_.\\-]*$"));
    return valid.match(name).hasMatch();
}

std::optional<WorksheetRecord> WorksheetStore::home(const UserRecord &user, QString *error)
{
    const QString name = QStringLiteral("home-") + user.name;
    if (auto existing = byName(name)) {
        return existing;
    }
    return create(name, user, error);
}

QList<WorksheetRecord> WorksheetStore::select(
    const QString &where, const QVariantList &values, const QString &tail) const
{
    QList<WorksheetRecord> out;
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral("SELECT %1 FROM worksheets WHERE %2%3").arg(columns, where, tail));
    for (const QVariant &v : values) {
        q.addBindValue(v);
    }
    if (q.exec()) {
        while (q.next()) {
            out << worksheetFrom(q);
        }
    }
    return out;
}

std::optional<WorksheetRecord> WorksheetStore::byUuid(const QString &uuid) const
{
    const auto found = select(QStringLiteral("uuid = ?"), { uuid });
    return found.isEmpty() ? std::nullopt : std::optional(found.first());
}

std::optional<WorksheetRecord> WorksheetStore::byName(const QString &name) const
{
    const auto found = select(QStringLiteral("name = ?"), { name });
    return found.isEmpty() ? std::nullopt : std::optional(found.first());
}

QList<WorksheetRecord> WorksheetStore::find(
    const QString &prefix, const QString &name, const QString &base) const
{
    QString where = prefix.isEmpty() ? QStringLiteral("name = ?") : QStringLiteral("uuid LIKE ?");
    QVariantList values { prefix.isEmpty() ? name : prefix + QLatin1Char('%') };
    if (!base.isEmpty()) {
        where += QStringLiteral(" AND uuid IN (SELECT subworksheet_uuid FROM worksheet_items WHERE"
                                " worksheet_uuid = ? AND type = 'worksheet')");
        values << base;
    }
    return select(where, values, QStringLiteral(" ORDER BY rowid"));
}

bool WorksheetStore::nameTaken(const QString &name) const
{
    return byName(name).has_value();
}

std::optional<WorksheetRecord> WorksheetStore::create(
    const QString &name, const UserRecord &owner, QString *error)
{
    if (!isValidName(name)) {
        *error = QStringLiteral("Names must match ^[a-zA-Z_][a-zA-Z0-9_\\.\\-]*$, was %1").arg(name);
        return std::nullopt;
    }
    if (name.startsWith(QLatin1String("home-")) && name != QStringLiteral("home-") + owner.name) {
        *error = QStringLiteral(
            "Cannot create %1 because this is potentially the home worksheet of another user")
                     .arg(name);
        return std::nullopt;
    }
    if (nameTaken(name)) {
        *error = QStringLiteral("Worksheet with name %1 already exists").arg(name);
        return std::nullopt;
    }
    WorksheetRecord ws;
    ws.uuid = util::BundleUuid::generate();
    ws.name = name;
    ws.ownerId = owner.id;
    ws.dateCreated = ws.dateLastModified = QDateTime::currentSecsSinceEpoch();
    QSqlQuery q(m_store.database());
    // The v1 column is NOT NULL: an unset title is stored as '' and read back as one.
    q.prepare(QStringLiteral("INSERT INTO worksheets (uuid, name, title, owner_id, tags, date_created,"
                             " date_last_modified) VALUES (?, ?, '', ?, '[]', ?, ?)"));
    q.addBindValue(ws.uuid);
    q.addBindValue(ws.name);
    q.addBindValue(ws.ownerId);
    q.addBindValue(ws.dateCreated);
    q.addBindValue(ws.dateLastModified);
    if (!q.exec()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    return ws;
}

bool WorksheetStore::update(WorksheetRecord &ws, QString *error)
{
    ws.dateLastModified = QDateTime::currentSecsSinceEpoch();
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral("UPDATE worksheets SET name = ?, title = ?, owner_id = ?, tags = ?, frozen = ?,"
                             " is_anonymous = ?, date_last_modified = ? WHERE uuid = ?"));
    q.addBindValue(ws.name);
    q.addBindValue(ws.title.isNull() ? QStringLiteral("") : ws.title);
    q.addBindValue(ws.ownerId);
    q.addBindValue(tagsJson(ws.tags));
    q.addBindValue(ws.frozen > 0 ? QVariant(ws.frozen) : QVariant(QMetaType(QMetaType::LongLong)));
    q.addBindValue(ws.isAnonymous ? 1 : 0);
    q.addBindValue(ws.dateLastModified);
    q.addBindValue(ws.uuid);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

bool WorksheetStore::remove(const QString &uuid)
{
    return m_store.transaction([&] {
        QSqlQuery q(m_store.database());
        for (const char *sql : { "DELETE FROM worksheet_items WHERE worksheet_uuid = ?",
                 "DELETE FROM worksheet_items WHERE subworksheet_uuid = ?",
                 "DELETE FROM worksheets WHERE uuid = ?" }) {
            q.prepare(QString::fromLatin1(sql));
            q.addBindValue(uuid);
            if (!q.exec()) {
                return false;
            }
        }
        return true;
    });
}

QList<WorksheetItemRecord> WorksheetStore::items(const QString &worksheetUuid) const
{
    QList<WorksheetItemRecord> out;
    QSqlQuery q(m_store.database());
    q.prepare(
        QStringLiteral("SELECT id, type, value, bundle_uuid, subworksheet_uuid, sort_key FROM"
                       " worksheet_items WHERE worksheet_uuid = ? ORDER BY COALESCE(sort_key, id), id"));
    q.addBindValue(worksheetUuid);
    if (q.exec()) {
        while (q.next()) {
            WorksheetItemRecord item;
            item.id = q.value(0).toLongLong();
            item.worksheetUuid = worksheetUuid;
            item.type = q.value(1).toString();
            item.value = q.value(2).toString();
            item.bundleUuid = q.value(3).toString();
            item.subworksheetUuid = q.value(4).toString();
            if (!q.isNull(5)) {
                item.sortKey = q.value(5).toLongLong();
            }
            out << item;
        }
    }
    return out;
}

bool WorksheetStore::writeItems(const QString &worksheetUuid, QList<WorksheetItemRecord> &items, bool replace)
{
    return m_store.transaction([&] {
        QSqlQuery q(m_store.database());
        if (replace) {
            q.prepare(QStringLiteral("DELETE FROM worksheet_items WHERE worksheet_uuid = ?"));
            q.addBindValue(worksheetUuid);
            if (!q.exec()) {
                return false;
            }
        }
        // New rows take ascending ids and no sort key, so they follow everything already there in order.
        for (WorksheetItemRecord &item : items) {
            q.prepare(QStringLiteral("INSERT INTO worksheet_items (worksheet_uuid, type, value, bundle_uuid,"
                                     " subworksheet_uuid) VALUES (?, ?, ?, ?, ?)"));
            q.addBindValue(worksheetUuid);
            q.addBindValue(item.type);
            q.addBindValue(item.value.isNull() ? QStringLiteral("") : item.value);
            q.addBindValue(
                item.bundleUuid.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : item.bundleUuid);
            q.addBindValue(item.subworksheetUuid.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                                           : item.subworksheetUuid);
            if (!q.exec()) {
                return false;
            }
            item.id = q.lastInsertId().toLongLong();
            item.worksheetUuid = worksheetUuid;
            item.sortKey.reset();
        }
        touch(worksheetUuid);
        return true;
    });
}

QList<WorksheetRecord> WorksheetStore::hostsOf(const QString &bundleUuid) const
{
    return select(
        QStringLiteral("uuid IN (SELECT worksheet_uuid FROM worksheet_items WHERE bundle_uuid = ?)"),
        { bundleUuid }, QStringLiteral(" ORDER BY rowid"));
}

void WorksheetStore::touch(const QString &worksheetUuid)
{
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral("UPDATE worksheets SET date_last_modified = ? WHERE uuid = ?"));
    q.addBindValue(QDateTime::currentSecsSinceEpoch());
    q.addBindValue(worksheetUuid);
    q.exec();
}

std::optional<QList<WorksheetRecord>> WorksheetStore::search(
    const QStringList &keywords, const UserRecord &user, QString *error) const
{
    static const QRegularExpression keyValue(QStringLiteral("^([.\\w/]*)=(.*)$"));
    QStringList where { QStringLiteral("1 = 1") };
    QVariantList values;
    QString sort = QStringLiteral("date_last_modified DESC");
    int limit = 10;
    int offset = 0;
    for (QString keyword : keywords) {
        keyword.replace(QLatin1String(".*"), QLatin1String("%"));
        if (keyword == QLatin1String(".mine")) {
            keyword = QStringLiteral("owner_id=") + user.id;
        } else if (keyword == QLatin1String(".notmine")) {
            where << QStringLiteral("owner_id != ?");
            values << user.id;
            continue;
        } else if (keyword == QLatin1String(".last")) {
            keyword = QStringLiteral("id=.sort-");
        } else if (keyword == QLatin1String(".shared")) {
            where << QStringLiteral("0 = 1"); // no groups on this server: nothing is shared with one
            continue;
        }
        const QRegularExpressionMatch m = keyValue.match(keyword);
        if (!m.hasMatch()) {
            where << QStringLiteral("(uuid LIKE ? OR name LIKE ? OR title LIKE ?)");
            const QString like = QLatin1Char('%') + keyword + QLatin1Char('%');
            values << like << like << like;
            continue;
        }
        QString key = m.captured(1);
        const QString value = m.captured(2);
        if (key == QLatin1String(".offset") || key == QLatin1String(".limit")) {
            bool ok = false;
            const int n = value.toInt(&ok);
            if (!ok || n < 0) {
                *error = QStringLiteral("%1 must be a number, was %2").arg(key, value);
                return std::nullopt;
            }
            (key == QLatin1String(".offset") ? offset : limit) = n;
            continue;
        }
        QString column;
        if (key == QLatin1String("owner")) {
            const auto owner = m_store.userByName(value);
            column = QStringLiteral("owner_id");
            where << QStringLiteral("owner_id = ?");
            values << (owner ? owner->id : QStringLiteral("x"));
            continue;
        }
        if (key == QLatin1String("id")) {
            column = QStringLiteral("rowid");
        } else if (key == QLatin1String("uuid") || key == QLatin1String("name")
            || key == QLatin1String("title") || key == QLatin1String("owner_id")) {
            column = key;
        } else if (key == QLatin1String("tag")) {
            where << QStringLiteral("EXISTS (SELECT 1 FROM json_each(worksheets.tags) WHERE value = ?)");
            values << value;
            continue;
        } else if (key == QLatin1String("bundle") || key == QLatin1String("worksheet")) {
            where << QStringLiteral("uuid IN (SELECT worksheet_uuid FROM worksheet_items WHERE %1 = ?)")
                         .arg(key == QLatin1String("bundle") ? QStringLiteral("bundle_uuid")
                                                             : QStringLiteral("subworksheet_uuid"));
            values << value;
            continue;
        } else if (key.isEmpty()) {
            where << QStringLiteral("(uuid LIKE ? OR name LIKE ? OR title LIKE ? OR uuid IN (SELECT"
                                    " worksheet_uuid FROM worksheet_items WHERE value LIKE ?))");
            const QString like = QLatin1Char('%') + value + QLatin1Char('%');
            values << like << like << like << like;
            continue;
        } else {
            *error = QStringLiteral("Unknown key: %1").arg(key);
            return std::nullopt;
        }
        if (value == QLatin1String(".sort") || value == QLatin1String(".sort-")) {
            sort = column
                + (value == QLatin1String(".sort") ? QStringLiteral(" ASC") : QStringLiteral(" DESC"));
            continue;
        }
        const Condition c = valueCondition(column, value);
        where << c.sql;
        values << c.values;
    }
    // Your own worksheets first, then the order asked for (newest change by default), then by name.
    const QString tail = QStringLiteral(" ORDER BY (owner_id = ?) DESC, %1, name LIMIT %2 OFFSET %3")
                             .arg(sort)
                             .arg(limit)
                             .arg(offset);
    values << user.id;
    return select(where.join(QStringLiteral(" AND ")), values, tail);
}

} // namespace codalab::localserver
