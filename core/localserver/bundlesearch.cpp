// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundlesearch.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

namespace codalab::localserver {

namespace {

const QStringList bundleColumns { QStringLiteral("bundle_type"), QStringLiteral("id"), QStringLiteral("uuid"),
    QStringLiteral("state"), QStringLiteral("command"), QStringLiteral("owner_id") };

QString columnFor(const QString &key)
{
    return key == QLatin1String("id") ? QStringLiteral("seq") : key;
}

QString metadataPath(const QString &key)
{
    // The key goes into a JSON path: keep it to what metadata keys are made of.
    QString safe = key;
    safe.remove(QRegularExpression(QStringLiteral("[^A-Za-z0-9_]")));
    return QStringLiteral("'$.%1'").arg(safe);
}

/// Parses an ISO-8601 date or date-time; a time without a zone is the server's local time, as upstream.
std::optional<qint64> parseIsoTime(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid()) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (!d.isValid()) {
            return std::nullopt;
        }
        t = d.startOfDay();
    }
    return t.toSecsSinceEpoch();
}

} // namespace

std::optional<BundleSearch::Parsed> BundleSearch::parse(
    const QStringList &keywords, const UserRecord &user, const ServerStore &store, QString *error)
{
    static const QRegularExpression keyValue(QStringLiteral("^([.\\w/]*)=(.*)$"));
    Parsed p;
    p.query.limit = 10;
    BundleQuery &q = p.query;
    for (QString keyword : keywords) {
        keyword.replace(QLatin1String(".*"), QLatin1String("%"));
        if (keyword == QLatin1String(".mine")) {
            keyword = QStringLiteral("owner_id=") + user.id;
        } else if (keyword == QLatin1String(".last")) {
            keyword = QStringLiteral("id=.sort-");
        } else if (keyword == QLatin1String(".shared")) {
            q.conditions << QStringLiteral("0 = 1"); // no groups here: nothing is shared with one
            continue;
        } else if (keyword == QLatin1String(".count")) {
            p.mode = Mode::Count;
            q.limit = 0;
            continue;
        } else if (keyword == QLatin1String(".floating")) {
            q.conditions << QStringLiteral(
                "uuid NOT IN (SELECT bundle_uuid FROM worksheet_items WHERE bundle_uuid"
                " IS NOT NULL)");
            continue;
        }
        const QRegularExpressionMatch m = keyValue.match(keyword);
        if (!m.hasMatch()) {
            q.conditions << QStringLiteral("(uuid LIKE ? OR json_extract(metadata, '$.name') LIKE ?)");
            const QString like = QLatin1Char('%') + keyword + QLatin1Char('%');
            q.values << like << like;
            continue;
        }
        QString key = m.captured(1);
        const QString value = m.captured(2);
        if (key == QLatin1String("type")) {
            key = QStringLiteral("bundle_type");
        } else if (key == QLatin1String("size")) {
            key = QStringLiteral("data_size");
        } else if (key == QLatin1String("worksheet")) {
            key = QStringLiteral("host_worksheet");
        }
        if (key == QLatin1String(".limit") || key == QLatin1String(".offset")) {
            bool ok = false;
            const int n = value.toInt(&ok);
            if (!ok || n < 0) {
                *error = QStringLiteral("%1 must be a whole number, was %2").arg(key, value);
                return std::nullopt;
            }
            (key == QLatin1String(".limit") ? q.limit : q.offset) = n;
        } else if (key == QLatin1String(".before") || key == QLatin1String(".after")) {
            const auto when = parseIsoTime(value);
            if (!when) {
                *error = QStringLiteral("Unable to parse datetime. Datetime must be specified as an ISO-8601 "
                                        "datetime string such as YYYY-MM-DD.");
                return std::nullopt;
            }
            q.conditions << QStringLiteral("json_extract(metadata, '$.created') %1 ?")
                                .arg(key == QLatin1String(".before") ? QStringLiteral("<=")
                                                                     : QStringLiteral(">="));
            q.values << *when;
        } else if (key == QLatin1String("owner")) {
            const auto owner = store.userByName(value);
            q.conditions << QStringLiteral("owner_id = ?");
            q.values << (owner ? owner->id : QStringLiteral("x"));
        } else if (key == QLatin1String("host_worksheet")) {
            q.conditions << QStringLiteral(
                "uuid IN (SELECT bundle_uuid FROM worksheet_items WHERE worksheet_uuid = ?)");
            q.values << value;
        } else if (key == QLatin1String("dependency") || key.startsWith(QLatin1String("dependency/"))) {
            QString sql
                = QStringLiteral("uuid IN (SELECT child_uuid FROM dependencies WHERE parent_uuid = ?");
            q.values << value;
            if (key.startsWith(QLatin1String("dependency/"))) {
                sql += QStringLiteral(" AND child_path = ?");
                q.values << key.mid(11);
            }
            q.conditions << sql + QLatin1Char(')');
        } else if (key.isEmpty()) {
            q.conditions << QStringLiteral("(uuid LIKE ? OR command LIKE ? OR metadata LIKE ?)");
            const QString like = QLatin1Char('%') + value + QLatin1Char('%');
            q.values << like << like << like;
        } else {
            const bool column = bundleColumns.contains(key);
            const QString path = metadataPath(key);
            const QString field
                = column ? columnFor(key) : QStringLiteral("json_extract(metadata, %1)").arg(path);
            // Sorting and summing read numbers, except for names, as upstream casts them.
            const QString numeric = key == QLatin1String("name") ? field : field + QStringLiteral(" * 1");
            if (value == QLatin1String(".sort") || value == QLatin1String(".sort-")) {
                q.orderBy = numeric
                    + (value == QLatin1String(".sort") ? QStringLiteral(" ASC") : QStringLiteral(" DESC"))
                    + QStringLiteral(", seq");
                if (!column) {
                    q.conditions << QStringLiteral("json_type(metadata, %1) IS NOT NULL").arg(path);
                }
            } else if (value == QLatin1String(".sum")) {
                p.mode = Mode::Sum;
                p.sumExpression = numeric;
                q.limit = 0;
            } else {
                // Lists (tags) match on any element; other values as the text upstream stores.
                const QString text = column ? field : QStringLiteral("CAST(%1 AS TEXT)").arg(field);
                const QStringList list = value.split(QLatin1Char(','));
                QString test;
                if (list.size() > 1) {
                    test = QStringLiteral("IN (%1)").arg(
                        QStringList(list.size(), QStringLiteral("?")).join(QLatin1Char(',')));
                } else {
                    test
                        = value.contains(QLatin1Char('%')) ? QStringLiteral("LIKE ?") : QStringLiteral("= ?");
                }
                QVariantList testValues;
                for (const QString &v : list) {
                    testValues << v;
                }
                if (column) {
                    q.conditions << QStringLiteral("%1 %2").arg(text, test);
                    q.values << testValues;
                } else {
                    q.conditions << QStringLiteral(
                        "(CASE json_type(metadata, %1) WHEN 'array' THEN EXISTS (SELECT 1 FROM"
                        " json_each(metadata, %1) WHERE CAST(value AS TEXT) %2) ELSE %3 %2 END)")
                                        .arg(path, test, text);
                    q.values << testValues << testValues;
                }
            }
        }
    }
    return p;
}

} // namespace codalab::localserver
