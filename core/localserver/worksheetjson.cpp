// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/worksheetjson.h"

#include "localserver/bundlejson.h"
#include "localserver/bundlestore.h"
#include "localserver/jsonapi.h"
#include "localserver/jsonapiincluded.h"
#include "localserver/permission.h"
#include "localserver/userjson.h"
#include "localserver/worksheetstore.h"

#include <QDateTime>

namespace codalab::localserver {

namespace {
const QString WorksheetsType = QStringLiteral("worksheets");
const QString ItemsType = QStringLiteral("worksheet-items");
const QString PermissionsType = QStringLiteral("worksheet-permissions");
} // namespace

WorksheetJson::WorksheetJson(const ServerStore &store, const WorksheetStore &worksheets,
    const BundleStore &bundles, const BundleJson &bundleJson, const UserJson &userJson)
    : m_store(store)
    , m_worksheets(worksheets)
    , m_bundles(bundles)
    , m_bundleJson(bundleJson)
    , m_userJson(userJson)
{ }

const QStringList &WorksheetJson::knownIncludes()
{
    static const QStringList known { QStringLiteral("owner"), QStringLiteral("group_permissions"),
        QStringLiteral("items"), QStringLiteral("items.bundle"), QStringLiteral("items.bundle.owner"),
        QStringLiteral("items.subworksheet") };
    return known;
}

QJsonValue WorksheetJson::isoDate(qint64 epochSeconds)
{
    if (epochSeconds <= 0) {
        return QJsonValue();
    }
    return QDateTime::fromSecsSinceEpoch(epochSeconds, Qt::UTC).toString(Qt::ISODate);
}

QJsonObject WorksheetJson::resource(const WorksheetRecord &ws, const UserRecord &caller) const
{
    const int permission = Permission::of(ws.ownerId, caller);
    const QJsonObject attributes { { QStringLiteral("uuid"), ws.uuid }, { QStringLiteral("name"), ws.name },
        { QStringLiteral("title"), ws.title.isEmpty() ? QJsonValue() : QJsonValue(ws.title) },
        { QStringLiteral("frozen"), isoDate(ws.frozen) }, { QStringLiteral("is_anonymous"), ws.isAnonymous },
        { QStringLiteral("date_created"), isoDate(ws.dateCreated) },
        { QStringLiteral("date_last_modified"), isoDate(ws.dateLastModified) },
        { QStringLiteral("tags"), QJsonArray::fromStringList(ws.tags) },
        { QStringLiteral("last_item_id"), QJsonValue() }, { QStringLiteral("permission"), permission },
        { QStringLiteral("permission_spec"), Permission::spec(permission) } };
    // An anonymous worksheet hides its owner from those who may not change it, as upstream.
    const bool hideOwner = ws.isAnonymous && permission < Permission::All;
    return QJsonObject { { QStringLiteral("type"), WorksheetsType }, { QStringLiteral("id"), ws.uuid },
        { QStringLiteral("attributes"), attributes },
        { QStringLiteral("relationships"),
            QJsonObject {
                { QStringLiteral("owner"),
                    JsonApiIncluded::link(QStringLiteral("users"), hideOwner ? QString() : ws.ownerId) },
                { QStringLiteral("items"), JsonApiIncluded::links(ItemsType, {}) } } } };
}

QJsonObject WorksheetJson::itemResource(const WorksheetItemRecord &item)
{
    return QJsonObject { { QStringLiteral("type"), ItemsType },
        { QStringLiteral("id"), QString::number(item.id) },
        { QStringLiteral("attributes"),
            QJsonObject { { QStringLiteral("type"), item.type }, { QStringLiteral("value"), item.value },
                { QStringLiteral("sort_key"), item.sortKey ? QJsonValue(*item.sortKey) : QJsonValue() } } },
        { QStringLiteral("relationships"),
            QJsonObject {
                { QStringLiteral("worksheet"), JsonApiIncluded::link(WorksheetsType, item.worksheetUuid) },
                { QStringLiteral("bundle"),
                    JsonApiIncluded::link(QStringLiteral("bundles"), item.bundleUuid) },
                { QStringLiteral("subworksheet"),
                    JsonApiIncluded::link(WorksheetsType, item.subworksheetUuid) } } } };
}

void WorksheetJson::addOwner(const QString &ownerId, JsonApiIncluded &included) const
{
    if (!ownerId.isEmpty() && !included.contains(QStringLiteral("users"), ownerId)) {
        if (const auto owner = m_store.userById(ownerId)) {
            included.add(m_userJson.resource(*owner, UserJson::View::Public));
        }
    }
}

HttpResponse WorksheetJson::document(
    const WorksheetRecord &ws, const UserRecord &caller, const QSet<QString> &include) const
{
    QJsonObject data = resource(ws, caller);
    QJsonObject relationships = data.value(QLatin1String("relationships")).toObject();
    JsonApiIncluded included;
    if (include.contains(QStringLiteral("owner"))) {
        addOwner(relationships.value(QLatin1String("owner"))
                     .toObject()
                     .value(QLatin1String("data"))
                     .toObject()
                     .value(QLatin1String("id"))
                     .toString(),
            included);
    }
    if (include.contains(QStringLiteral("group_permissions"))) {
        const QJsonObject permission = Permission::publicRead(PermissionsType, ws.uuid);
        relationships.insert(QStringLiteral("group_permissions"),
            JsonApiIncluded::links(PermissionsType, { permission.value(QLatin1String("id")).toString() }));
        included.add(permission);
    }
    if (include.contains(QStringLiteral("items"))) {
        const QList<WorksheetItemRecord> items = m_worksheets.items(ws.uuid);
        QStringList ids;
        qint64 lastItemId = -1;
        for (const WorksheetItemRecord &item : items) {
            ids << QString::number(item.id);
            lastItemId = qMax(lastItemId, item.id);
            included.add(itemResource(item));
            if (item.type == WorksheetItemRecord::Bundle && include.contains(QStringLiteral("items.bundle"))
                && !included.contains(QStringLiteral("bundles"), item.bundleUuid)) {
                if (const auto bundle = m_bundles.get(item.bundleUuid)) {
                    included.add(m_bundleJson.resource(*bundle));
                    if (include.contains(QStringLiteral("items.bundle.owner"))) {
                        addOwner(bundle->ownerId, included);
                    }
                }
            }
            // A linked worksheet comes without its own items, so a worksheet that links to itself cannot make
            // the client's unpacking go round in circles.
            if (item.type == WorksheetItemRecord::Worksheet
                && include.contains(QStringLiteral("items.subworksheet"))
                && item.subworksheetUuid != ws.uuid) {
                if (const auto sub = m_worksheets.byUuid(item.subworksheetUuid)) {
                    QJsonObject subResource = resource(*sub, caller);
                    QJsonObject subRelationships
                        = subResource.value(QLatin1String("relationships")).toObject();
                    subRelationships.remove(QStringLiteral("items"));
                    subResource.insert(QStringLiteral("relationships"), subRelationships);
                    included.add(subResource);
                }
            }
        }
        relationships.insert(QStringLiteral("items"), JsonApiIncluded::links(ItemsType, ids));
        QJsonObject attributes = data.value(QLatin1String("attributes")).toObject();
        attributes.insert(QStringLiteral("last_item_id"), lastItemId);
        data.insert(QStringLiteral("attributes"), attributes);
    }
    data.insert(QStringLiteral("relationships"), relationships);
    return JsonApi::document(data, included.array());
}

HttpResponse WorksheetJson::list(
    const QList<WorksheetRecord> &worksheets, const UserRecord &caller, const QSet<QString> &include) const
{
    QJsonArray data;
    JsonApiIncluded included;
    for (const WorksheetRecord &ws : worksheets) {
        QJsonObject r = resource(ws, caller);
        if (include.contains(QStringLiteral("owner"))
            && !(ws.isAnonymous && Permission::of(ws.ownerId, caller) < Permission::All)) {
            addOwner(ws.ownerId, included);
        }
        if (include.contains(QStringLiteral("group_permissions"))) {
            QJsonObject relationships = r.value(QLatin1String("relationships")).toObject();
            const QJsonObject permission = Permission::publicRead(PermissionsType, ws.uuid);
            relationships.insert(QStringLiteral("group_permissions"),
                JsonApiIncluded::links(
                    PermissionsType, { permission.value(QLatin1String("id")).toString() }));
            r.insert(QStringLiteral("relationships"), relationships);
            included.add(permission);
        }
        data.append(r);
    }
    return JsonApi::document(data, included.array());
}

} // namespace codalab::localserver
