// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/worksheetroutes.h"

#include "localserver/bundlejson.h"
#include "localserver/bundlestore.h"
#include "localserver/jsonapi.h"
#include "localserver/localhttpserver.h"
#include "util/bundleuuid.h"

namespace codalab::localserver {

namespace {

QJsonObject worksheetResource(const WorksheetRecord &ws)
{
    return QJsonObject { { QStringLiteral("type"), QStringLiteral("worksheets") },
        { QStringLiteral("id"), ws.uuid },
        { QStringLiteral("attributes"),
            QJsonObject { { QStringLiteral("uuid"), ws.uuid }, { QStringLiteral("name"), ws.name },
                { QStringLiteral("title"), ws.title }, { QStringLiteral("owner"), ws.ownerId },
                { QStringLiteral("permission"), 2 },
                { QStringLiteral("permission_spec"), QStringLiteral("all") } } } };
}

} // namespace

void WorksheetRoutes::install(LocalHttpServer &http, ServerStore &store, BundleStore &bundles)
{
    using A = LocalHttpServer::Auth;
    http.addRoute("GET", QStringLiteral("/rest/worksheets/?"), A::Required,
        [&store](HttpRequest &request, const HttpResponder &responder) {
            QJsonArray data;
            for (const QString &spec : request.queryValues(QStringLiteral("specs"))) {
                std::optional<WorksheetRecord> ws;
                if (spec == QLatin1String("/")) {
                    QString error;
                    ws = store.homeWorksheet(*request.user, &error);
                    if (!ws) {
                        // Not a missing worksheet: the store failed to make it.
                        responder.send(HttpResponse::error(
                            500, QStringLiteral("Cannot create the home worksheet: %1").arg(error)));
                        return;
                    }
                } else if (util::BundleUuid::isValid(spec)) {
                    ws = store.worksheetByUuid(spec);
                } else {
                    ws = store.worksheetByName(spec);
                }
                if (!ws) {
                    responder.send(HttpResponse::error(
                        404, QStringLiteral("No worksheet found with name %1").arg(spec)));
                    return;
                }
                data.append(worksheetResource(*ws));
            }
            responder.send(JsonApi::document(data));
        });

    http.addRoute("POST", QStringLiteral("/rest/worksheets/?"), A::Required,
        [&store](HttpRequest &request, const HttpResponder &responder) {
            HttpResponse bad;
            const auto items = JsonApi::dataItems(request, &bad);
            if (!items) {
                responder.send(bad);
                return;
            }
            QJsonArray data;
            for (const QJsonValue &item : *items) {
                QString error;
                const QJsonValue nameValue = item.toObject()
                                                 .value(QLatin1String("attributes"))
                                                 .toObject()
                                                 .value(QLatin1String("name"));
                if (!nameValue.isString()) {
                    responder.send(
                        HttpResponse::error(400, QStringLiteral("A worksheet's \"name\" must be a string")));
                    return;
                }
                const QString name = nameValue.toString();
                const auto ws = store.createWorksheet(name, request.user->id, &error);
                if (!ws) {
                    responder.send(HttpResponse::error(400, error));
                    return;
                }
                data.append(worksheetResource(*ws));
            }
            responder.send(JsonApi::document(data));
        });

    http.addRoute("GET", QStringLiteral("/rest/worksheets/(0x[0-9a-f]{32})/?"), A::Required,
        [&store, &bundles](HttpRequest &request, const HttpResponder &responder) {
            const auto ws = store.worksheetByUuid(request.captures.value(0));
            if (!ws) {
                responder.send(HttpResponse::error(
                    404, QStringLiteral("Not found: '/worksheets/%1'").arg(request.captures.value(0))));
                return;
            }
            // Items and their bundles, linked as upstream's include=items,items.bundle does.
            const BundleJson json(bundles);
            QJsonArray itemLinks;
            QJsonArray included;
            int sortKey = 0;
            for (const QString &uuid : store.worksheetBundles(ws->uuid)) {
                const auto bundle = bundles.get(uuid);
                if (!bundle) {
                    continue;
                }
                const QString itemId = ws->uuid + QLatin1Char(',') + QString::number(sortKey);
                itemLinks.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("worksheet-items") },
                    { QStringLiteral("id"), itemId } });
                included.append(QJsonObject { { QStringLiteral("type"), QStringLiteral("worksheet-items") },
                    { QStringLiteral("id"), itemId },
                    { QStringLiteral("attributes"),
                        QJsonObject { { QStringLiteral("type"), QStringLiteral("bundle") },
                            { QStringLiteral("sort_key"), sortKey } } },
                    { QStringLiteral("relationships"),
                        QJsonObject { { QStringLiteral("bundle"),
                            QJsonObject { { QStringLiteral("data"),
                                QJsonObject { { QStringLiteral("type"), QStringLiteral("bundles") },
                                    { QStringLiteral("id"), uuid } } } } } } } });
                included.append(json.resource(*bundle));
                ++sortKey;
            }
            QJsonObject resource = worksheetResource(*ws);
            resource.insert(QStringLiteral("relationships"),
                QJsonObject {
                    { QStringLiteral("items"), QJsonObject { { QStringLiteral("data"), itemLinks } } } });
            responder.send(JsonApi::document(resource, included));
        });
}

} // namespace codalab::localserver
