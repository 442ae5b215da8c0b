// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundles/bundlesmodel.h"

#include "common/statecolour.h"
#include "common/units.h"
#include "server/apijob.h"
#include "server/bundlestate.h"
#include "server/codalabclient.h"
#include "server/metadatakey.h"

#include <QColor>
#include <QDateTime>
#include <QJsonArray>
#include <QLocale>

namespace codalab::ui {

using server::BundleState;
using server::MetadataKey;

namespace {

QString linkId(const QJsonObject &resource, const char *relationship)
{
    return resource.value(QLatin1String("relationships"))
        .toObject()
        .value(QLatin1String(relationship))
        .toObject()
        .value(QLatin1String("data"))
        .toObject()
        .value(QLatin1String("id"))
        .toString();
}

} // namespace

BundlesModel::BundlesModel(server::CodaLabClient *client, QObject *parent)
    : KeyedTableModel({ tr("Type"), tr("Name"), tr("State"), tr("Size"), tr("Owner"), tr("Created") }, parent)
    , m_client(client)
{ }

void BundlesModel::setWorksheet(const QString &uuid)
{
    if (uuid == m_worksheet) {
        return;
    }
    m_worksheet = uuid;
    if (m_job) {
        m_job->cancel();
    }
    setRows({});
    refresh();
}

void BundlesModel::refresh()
{
    if (m_worksheet.isEmpty() || m_job) {
        return;
    }
    m_job = m_client->worksheetItems(m_worksheet);
    const QString asked = m_worksheet;
    connect(m_job, &server::ApiJob::finished, this, [this, asked](const server::ApiResult &r) {
        if (asked != m_worksheet) {
            return; // another worksheet was chosen meanwhile
        }
        if (!r.ok()) {
            Q_EMIT failed(r.error.message);
            return;
        }
        setDocument(r.json.object());
        Q_EMIT loaded();
    });
}

void BundlesModel::setDocument(const QJsonObject &document)
{
    QHash<QString, QJsonObject> included;
    for (const QJsonValue &v : document.value(QLatin1String("included")).toArray()) {
        included.insert(
            v[QLatin1String("type")].toString() + QLatin1Char('/') + v[QLatin1String("id")].toString(),
            v.toObject());
    }
    const QJsonArray items = document.value(QLatin1String("data"))
                                 .toObject()
                                 .value(QLatin1String("relationships"))
                                 .toObject()
                                 .value(QLatin1String("items"))
                                 .toObject()
                                 .value(QLatin1String("data"))
                                 .toArray();
    QList<Row> rows;
    QHash<QString, int> seen;
    for (const QJsonValue &link : items) {
        const QJsonObject item
            = included.value(QStringLiteral("worksheet-items/") + link[QLatin1String("id")].toString());
        const QString uuid = linkId(item, "bundle");
        if (uuid.isEmpty()) {
            continue; // text, directives and worksheet links are not bundles
        }
        const QJsonObject bundle = included.value(QStringLiteral("bundles/") + uuid);
        const QJsonObject a = bundle.value(QLatin1String("attributes")).toObject();
        const QJsonObject m = a.value(QLatin1String("metadata")).toObject();
        const QJsonObject owner = included.value(QStringLiteral("users/") + linkId(bundle, "owner"));
        Row row;
        // A bundle may appear twice on a worksheet: each appearance is its own row.
        const int occurrence = seen[uuid]++;
        row.key = occurrence == 0 ? uuid : uuid + QLatin1Char('#') + QString::number(occurrence);
        const QString state = a.value(QLatin1String("state")).toString();
        const QString name = m.value(MetadataKey::Name).toString();
        row.rowValues.insert(UuidRole, uuid);
        row.rowValues.insert(NameRole, name);
        row.rowValues.insert(StateRole, state);
        row.rowValues.insert(TypeRole, a.value(QLatin1String("bundle_type")).toString());
        row.rowValues.insert(DescriptionRole, m.value(MetadataKey::Description).toString());
        row.rowValues.insert(TagsRole, m.value(MetadataKey::Tags).toVariant().toStringList());
        row.rowValues.insert(BundleRole, a.toVariantMap());
        row.setText(TypeColumn, a.value(QLatin1String("bundle_type")).toString());
        row.setText(NameColumn, bundle.isEmpty() ? tr("(deleted bundle)") : name);
        row.set(NameColumn, Qt::ToolTipRole,
            QStringLiteral("%1\n%2").arg(uuid, m.value(MetadataKey::Description).toString()).trimmed());
        row.setText(StateColumn, state);
        row.set(StateColumn, Qt::ForegroundRole, StateColour::of(state));
        row.set(StateColumn, Qt::ToolTipRole, a.value(QLatin1String("state_details")).toString());
        const double size = m.value(MetadataKey::DataSize).toDouble();
        row.setText(SizeColumn, m.contains(MetadataKey::DataSize) ? Units::bytes(size) : QString());
        row.set(SizeColumn, SortRole, size);
        row.set(SizeColumn, Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
        row.setText(OwnerColumn,
            owner.value(QLatin1String("attributes")).toObject().value(QLatin1String("user_name")).toString());
        const auto created = qint64(m.value(MetadataKey::Created).toDouble());
        row.setText(CreatedColumn,
            created > 0 ? Units::ago(QDateTime::currentSecsSinceEpoch() - created) : QString());
        row.set(CreatedColumn, Qt::ToolTipRole,
            created > 0 ? QLocale().toString(QDateTime::fromSecsSinceEpoch(created), QLocale::LongFormat)
                        : QString());
        row.set(CreatedColumn, SortRole, double(created));
        rows.append(row);
    }
    setRows(rows);
}

int BundlesModel::rowOfBundle(const QString &uuid) const
{
    return rowOf(uuid);
}

} // namespace codalab::ui
