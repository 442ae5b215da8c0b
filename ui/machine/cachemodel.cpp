// SPDX-License-Identifier: GPL-3.0-or-later
#include "machine/cachemodel.h"

#include "common/units.h"

#include <QJsonArray>

namespace codalab::ui {

namespace {

QString capitalised(QString text)
{
    if (!text.isEmpty()) {
        text[0] = text.at(0).toUpper();
    }
    return text;
}

} // namespace

CacheModel::CacheModel(QObject *parent)
    : KeyedTableModel(
        { tr("Kind"), tr("Name"), tr("Size"), tr("Last used"), tr("In use"), tr("State") }, parent)
{ }

void CacheModel::setCaches(const QJsonObject &caches, qint64 now)
{
    QList<Row> rows;
    const auto common = [now](Row &row, const QJsonObject &e) {
        const double size = e.value(QLatin1String("size_bytes")).toDouble();
        row.setText(SizeColumn, Units::bytes(size));
        row.set(SizeColumn, Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
        row.rowValues.insert(SizeRole, size);
        const QJsonValue last = e.value(QLatin1String("last_used"));
        if (last.isDouble()) {
            const qint64 at = qint64(last.toDouble());
            row.setText(LastUsedColumn, Units::ago(now - at));
            row.set(LastUsedColumn, Qt::ToolTipRole,
                QDateTime::fromSecsSinceEpoch(at).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        } else {
            row.setText(LastUsedColumn, tr("never"));
        }
        const bool inUse = e.value(QLatin1String("in_use")).toBool();
        row.rowValues.insert(InUseRole, inUse);
        row.setText(InUseColumn, inUse ? tr("Yes") : tr("No"));
    };

    for (const QJsonValue &v : caches.value(QLatin1String("dependencies")).toArray()) {
        const QJsonObject e = v.toObject();
        const QString uuid = e.value(QLatin1String("bundle_uuid")).toString();
        const QString subpath = e.value(QLatin1String("subpath")).toString();
        Row row;
        row.key = QStringLiteral("dependency:") + uuid + QLatin1Char('/') + subpath;
        row.rowValues.insert(KindRole, QStringLiteral("dependency"));
        row.setText(KindColumn, tr("Dependency"));
        row.setText(NameColumn, subpath.isEmpty() ? uuid : uuid + QLatin1Char('/') + subpath);
        common(row, e);
        const int dependents = e.value(QLatin1String("dependents")).toInt();
        if (dependents > 0) {
            row.setText(InUseColumn, tr("Yes (%n run(s))", nullptr, dependents));
        }
        row.setText(StateColumn, capitalised(e.value(QLatin1String("state")).toString()));
        rows.append(row);
    }
    for (const QJsonValue &v : caches.value(QLatin1String("images")).toArray()) {
        const QJsonObject e = v.toObject();
        const QString image = e.value(QLatin1String("image")).toString();
        Row row;
        row.key = QStringLiteral("image:") + image;
        row.rowValues.insert(KindRole, QStringLiteral("image"));
        row.setText(KindColumn, tr("Image"));
        row.setText(NameColumn, image);
        row.set(NameColumn, Qt::ToolTipRole, e.value(QLatin1String("digest")).toString());
        common(row, e);
        const QString state = capitalised(e.value(QLatin1String("state")).toString());
        // Only what the worker pulled is its to remove; say so where it is not.
        row.setText(StateColumn,
            e.value(QLatin1String("pulled_by_worker")).toBool()
                ? tr("%1 · pulled by the worker").arg(state)
                : tr("%1 · kept: not pulled by the worker").arg(state));
        rows.append(row);
    }
    setRows(rows);
}

} // namespace codalab::ui
