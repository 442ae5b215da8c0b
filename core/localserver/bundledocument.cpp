// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundledocument.h"

#include "localserver/bundlejson.h"
#include "localserver/bundlestore.h"
#include "localserver/jsonapi.h"
#include "localserver/jsonapiincluded.h"
#include "localserver/permission.h"
#include "localserver/userjson.h"
#include "localserver/worksheetstore.h"

namespace codalab::localserver {

BundleDocument::BundleDocument(const BundleJson &json, const BundleStore &bundles, const ServerStore &store,
    const WorksheetStore &worksheets, const UserJson &users)
    : m_json(json)
    , m_bundles(bundles)
    , m_store(store)
    , m_worksheets(worksheets)
    , m_users(users)
{ }

const QStringList &BundleDocument::knownIncludes()
{
    static const QStringList known { QStringLiteral("owner"), QStringLiteral("group_permissions"),
        QStringLiteral("children"), QStringLiteral("host_worksheets") };
    return known;
}

HttpResponse BundleDocument::render(const QList<BundleRecord> &bundles, const UserRecord &caller,
    const QSet<QString> &include, bool single) const
{
    QJsonArray data;
    JsonApiIncluded included;
    for (const BundleRecord &b : bundles) {
        QJsonObject resource = m_json.resource(b, &caller);
        QJsonObject relationships = resource.value(QLatin1String("relationships")).toObject();
        const QString ownerId = relationships.value(QLatin1String("owner"))
                                    .toObject()
                                    .value(QLatin1String("data"))
                                    .toObject()
                                    .value(QLatin1String("id"))
                                    .toString();
        if (include.contains(QStringLiteral("owner")) && !ownerId.isEmpty()
            && !included.contains(QStringLiteral("users"), ownerId)) {
            if (const auto owner = m_store.userById(ownerId)) {
                included.add(m_users.resource(*owner, UserJson::View::Public));
            }
        }
        if (include.contains(QStringLiteral("children"))) {
            QStringList ids;
            for (const QString &uuid : m_bundles.children(b.uuid)) {
                if (const auto child = m_bundles.get(uuid)) {
                    ids << uuid;
                    included.add(m_json.resource(*child, &caller));
                }
            }
            relationships.insert(
                QStringLiteral("children"), JsonApiIncluded::links(QStringLiteral("bundles"), ids));
        }
        if (include.contains(QStringLiteral("host_worksheets"))) {
            QStringList ids;
            for (const WorksheetRecord &ws : m_worksheets.hostsOf(b.uuid)) {
                ids << ws.uuid;
                // Just what `cl info -v` prints of them: a link with no items, so nothing recurses.
                included.add(QJsonObject { { QStringLiteral("type"), QStringLiteral("worksheets") },
                    { QStringLiteral("id"), ws.uuid },
                    { QStringLiteral("attributes"),
                        QJsonObject { { QStringLiteral("uuid"), ws.uuid },
                            { QStringLiteral("name"), ws.name },
                            { QStringLiteral("title"),
                                ws.title.isEmpty() ? QJsonValue() : QJsonValue(ws.title) } } } });
            }
            relationships.insert(
                QStringLiteral("host_worksheets"), JsonApiIncluded::links(QStringLiteral("worksheets"), ids));
        }
        if (include.contains(QStringLiteral("group_permissions"))) {
            const QJsonObject permission
                = Permission::publicRead(QStringLiteral("bundle-permissions"), b.uuid);
            relationships.insert(QStringLiteral("group_permissions"),
                JsonApiIncluded::links(QStringLiteral("bundle-permissions"),
                    { permission.value(QLatin1String("id")).toString() }));
            included.add(permission);
        }
        resource.insert(QStringLiteral("relationships"), relationships);
        data.append(resource);
    }
    if (single && data.size() == 1) {
        return JsonApi::document(data.first(), included.array());
    }
    return JsonApi::document(data, included.array());
}

} // namespace codalab::localserver
