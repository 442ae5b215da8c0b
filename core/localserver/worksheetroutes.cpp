// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/worksheetroutes.h"

#include "localserver/jsonapi.h"
#include "localserver/localhttpserver.h"
#include "localserver/permission.h"
#include "localserver/worksheetjson.h"
#include "localserver/worksheetspec.h"
#include "localserver/worksheetstore.h"

#include <QDateTime>

namespace codalab::localserver {

namespace {

QString linkedId(const QJsonObject &relationships, const char *name)
{
    return relationships.value(QLatin1String(name))
        .toObject()
        .value(QLatin1String("data"))
        .toObject()
        .value(QLatin1String("id"))
        .toString();
}

bool isAscii(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() > 0x7f) {
            return false;
        }
    }
    return true;
}

} // namespace

WorksheetRoutes::WorksheetRoutes(WorksheetStore &worksheets, const WorksheetJson &json)
    : m_worksheets(worksheets)
    , m_json(json)
{ }

void WorksheetRoutes::install(LocalHttpServer &http)
{
    using A = LocalHttpServer::Auth;
    const auto bind = [this](void (WorksheetRoutes::*f)(HttpRequest &, const HttpResponder &)) {
        return [this, f](HttpRequest &r, const HttpResponder &s) { (this->*f)(r, s); };
    };
    http.addRoute("GET", QStringLiteral("/rest/worksheets/?"), A::Required, bind(&WorksheetRoutes::list));
    http.addRoute("POST", QStringLiteral("/rest/worksheets/?"), A::Required, bind(&WorksheetRoutes::create));
    http.addRoute("PATCH", QStringLiteral("/rest/worksheets/?"), A::Required, bind(&WorksheetRoutes::edit));
    http.addRoute(
        "DELETE", QStringLiteral("/rest/worksheets/?"), A::Required, bind(&WorksheetRoutes::remove));
    http.addRoute("GET", QStringLiteral("/rest/worksheets/(0x[0-9a-f]{32})/?"), A::Required,
        bind(&WorksheetRoutes::one));
    http.addRoute(
        "POST", QStringLiteral("/rest/worksheet-items/?"), A::Required, bind(&WorksheetRoutes::addItems));
}

std::optional<QSet<QString>> WorksheetRoutes::includes(
    const HttpRequest &request, const QStringList &known, const HttpResponder &responder)
{
    QSet<QString> out;
    for (const QString &part :
        request.queryValue(QStringLiteral("include")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!known.contains(part.trimmed())) {
            responder.send(
                HttpResponse::error(400, QStringLiteral("?include=%1 not supported").arg(part.trimmed())));
            return std::nullopt;
        }
        out.insert(part.trimmed());
    }
    return out;
}

std::optional<WorksheetRecord> WorksheetRoutes::writable(
    const QString &uuid, const UserRecord &user, const HttpResponder &responder, bool evenFrozen) const
{
    const auto ws = m_worksheets.byUuid(uuid);
    if (!ws) {
        responder.send(
            HttpResponse::error(404, QStringLiteral("Could not find worksheet with uuid %1").arg(uuid)));
        return std::nullopt;
    }
    if (const auto refusal
        = Permission::refuseUnlessAll(ws->ownerId, user, QStringLiteral("worksheet"), uuid)) {
        responder.send(*refusal);
        return std::nullopt;
    }
    if (ws->frozen > 0 && !evenFrozen) {
        responder.send(HttpResponse::error(
            403, QStringLiteral("Cannot mutate frozen worksheet %1(%2).").arg(ws->uuid, ws->name)));
        return std::nullopt;
    }
    return ws;
}

void WorksheetRoutes::list(HttpRequest &request, const HttpResponder &responder)
{
    const auto include = includes(request, WorksheetJson::knownIncludes().mid(0, 2), responder);
    if (!include) {
        return;
    }
    const QStringList specs = request.queryValues(QStringLiteral("specs"));
    // `cl work URL::` asks for the spec "" (the home worksheet): present but empty is still a spec.
    if (request.query.hasQueryItem(QStringLiteral("specs"))) {
        QList<WorksheetRecord> found;
        for (const QString &spec : specs) {
            const auto r = WorksheetSpec::resolve(
                m_worksheets, spec, request.queryValue(QStringLiteral("base")), *request.user);
            if (!r.worksheet) {
                responder.send(HttpResponse::error(r.status, r.error));
                return;
            }
            if (std::none_of(found.cbegin(), found.cend(),
                    [&](const WorksheetRecord &ws) { return ws.uuid == r.worksheet->uuid; })) {
                found << *r.worksheet;
            }
        }
        responder.send(m_json.list(found, *request.user, *include));
        return;
    }
    QString error;
    const auto found
        = m_worksheets.search(request.queryValues(QStringLiteral("keywords")), *request.user, &error);
    if (!found) {
        responder.send(HttpResponse::error(400, error));
        return;
    }
    responder.send(m_json.list(*found, *request.user, *include));
}

void WorksheetRoutes::create(HttpRequest &request, const HttpResponder &responder)
{
    HttpResponse bad;
    const auto items = JsonApi::dataItems(request, &bad);
    if (!items) {
        responder.send(bad);
        return;
    }
    QList<WorksheetRecord> made;
    for (const QJsonValue &item : *items) {
        const QJsonObject attributes = item.toObject().value(QLatin1String("attributes")).toObject();
        const QJsonValue nameValue = attributes.value(QLatin1String("name"));
        if (!nameValue.isString()) {
            responder.send(
                HttpResponse::error(400, QStringLiteral("A worksheet's \"name\" must be a string")));
            return;
        }
        QString error;
        auto ws = m_worksheets.create(nameValue.toString(), *request.user, &error);
        if (!ws) {
            responder.send(HttpResponse::error(400, error));
            return;
        }
        if (attributes.value(QLatin1String("title")).isString()) {
            ws->title = attributes.value(QLatin1String("title")).toString();
            m_worksheets.update(*ws, &error);
        }
        made << *ws;
    }
    responder.send(m_json.list(made, *request.user, {}));
}

void WorksheetRoutes::edit(HttpRequest &request, const HttpResponder &responder)
{
    HttpResponse bad;
    const auto items = JsonApi::dataItems(request, &bad);
    if (!items) {
        responder.send(bad);
        return;
    }
    QList<WorksheetRecord> changed;
    for (const QJsonValue &item : *items) {
        const QJsonObject object = item.toObject();
        const QJsonObject a = object.value(QLatin1String("attributes")).toObject();
        // Only an edit that unfreezes may touch a frozen worksheet, as upstream.
        const bool unfreezes = a.contains(QLatin1String("frozen"))
            && !a.value(QLatin1String("frozen")).toBool() && !a.value(QLatin1String("frozen")).isString();
        auto ws = writable(object.value(QLatin1String("id")).toString(), *request.user, responder, unfreezes);
        if (!ws) {
            return;
        }
        if (a.contains(QLatin1String("name"))) {
            const QString name = a.value(QLatin1String("name")).toString();
            if (!WorksheetStore::isValidName(name)) {
                responder.send(HttpResponse::error(400,
                    QStringLiteral("Names must match ^[a-zA-Z_][a-zA-Z0-9_\\.\\-]*$, was %1").arg(name)));
                return;
            }
            if (m_worksheets.nameTaken(name)) {
                responder.send(HttpResponse::error(
                    400, QStringLiteral("Worksheet with name %1 already exists").arg(name)));
                return;
            }
            ws->name = name;
        }
        if (a.contains(QLatin1String("title"))) {
            ws->title = a.value(QLatin1String("title")).toString();
        }
        if (a.contains(QLatin1String("tags"))) {
            ws->tags.clear();
            for (const QJsonValue &tag : a.value(QLatin1String("tags")).toArray()) {
                if (!isAscii(tag.toString())) {
                    responder.send(HttpResponse::error(
                        400, QStringLiteral("Unsupported character detected, use ascii characters")));
                    return;
                }
                ws->tags << tag.toString();
            }
        }
        if (a.contains(QLatin1String("is_anonymous"))) {
            ws->isAnonymous = a.value(QLatin1String("is_anonymous")).toBool();
        }
        if (a.contains(QLatin1String("frozen"))) {
            const QJsonValue frozen = a.value(QLatin1String("frozen"));
            const bool freeze = frozen.isString() ? !frozen.toString().isEmpty() : frozen.toBool();
            // The server's clock, not the client's, says when (upstream sets utcnow() too).
            ws->frozen = freeze ? (ws->frozen > 0 ? ws->frozen : QDateTime::currentSecsSinceEpoch()) : 0;
        }
        const QString owner = linkedId(object.value(QLatin1String("relationships")).toObject(), "owner");
        if (!owner.isEmpty()) {
            ws->ownerId = owner;
        }
        QString error;
        if (!m_worksheets.update(*ws, &error)) {
            responder.send(HttpResponse::error(400, error));
            return;
        }
        changed << *ws;
    }
    responder.send(m_json.list(changed, *request.user, {}));
}

void WorksheetRoutes::remove(HttpRequest &request, const HttpResponder &responder)
{
    HttpResponse bad;
    const auto items = JsonApi::dataItems(request, &bad);
    if (!items) {
        responder.send(bad);
        return;
    }
    const bool force = request.queryFlag(QStringLiteral("force"));
    QList<WorksheetRecord> doomed;
    for (const QJsonValue &item : *items) {
        const QJsonObject object = item.toObject();
        if (object.value(QLatin1String("type")).toString() != QLatin1String("worksheets")) {
            responder.send(HttpResponse::error(400, QStringLiteral("type must be 'worksheets'")));
            return;
        }
        auto ws = writable(object.value(QLatin1String("id")).toString(), *request.user, responder, true);
        if (!ws) {
            return;
        }
        if (!force && ws->frozen > 0) {
            responder.send(HttpResponse::error(400,
                QStringLiteral("Can't delete worksheet %1 because it is frozen (--force to override).")
                    .arg(ws->uuid)));
            return;
        }
        if (!force && !m_worksheets.items(ws->uuid).isEmpty()) {
            responder.send(HttpResponse::error(400,
                QStringLiteral("Can't delete worksheet %1 because it is not empty (--force to override).")
                    .arg(ws->uuid)));
            return;
        }
        doomed << *ws;
    }
    for (const WorksheetRecord &ws : std::as_const(doomed)) {
        m_worksheets.remove(ws.uuid);
    }
    responder.send(JsonApi::meta({}));
}

void WorksheetRoutes::one(HttpRequest &request, const HttpResponder &responder)
{
    const auto include = includes(request, WorksheetJson::knownIncludes(), responder);
    if (!include) {
        return;
    }
    const auto ws = m_worksheets.byUuid(request.captures.value(0));
    if (!ws) {
        responder.send(HttpResponse::error(
            404, QStringLiteral("Could not find worksheet with uuid %1").arg(request.captures.value(0))));
        return;
    }
    responder.send(m_json.document(*ws, *request.user, *include));
}

void WorksheetRoutes::addItems(HttpRequest &request, const HttpResponder &responder)
{
    HttpResponse bad;
    const auto data = JsonApi::dataItems(request, &bad);
    if (!data) {
        responder.send(bad);
        return;
    }
    const auto ws = writable(request.queryValue(QStringLiteral("uuid")), *request.user, responder);
    if (!ws) {
        return;
    }
    static const QStringList types { WorksheetItemRecord::Markup, WorksheetItemRecord::Directive,
        WorksheetItemRecord::Bundle, WorksheetItemRecord::Worksheet };
    QList<WorksheetItemRecord> items;
    for (const QJsonValue &value : *data) {
        const QJsonObject object = value.toObject();
        const QJsonObject a = object.value(QLatin1String("attributes")).toObject();
        const QJsonObject relationships = object.value(QLatin1String("relationships")).toObject();
        WorksheetItemRecord item;
        item.type = a.value(QLatin1String("type")).toString();
        if (!types.contains(item.type)) {
            responder.send(HttpResponse::error(400,
                a.contains(QLatin1String("type")) ? QStringLiteral("Not a valid choice.")
                                                  : QStringLiteral("Missing data for required field.")));
            return;
        }
        item.value = a.value(QLatin1String("value")).toString();
        item.bundleUuid = linkedId(relationships, "bundle");
        item.subworksheetUuid = linkedId(relationships, "subworksheet");
        items << item;
    }
    if (!m_worksheets.writeItems(ws->uuid, items, request.queryFlag(QStringLiteral("replace")))) {
        responder.send(HttpResponse::error(500, QStringLiteral("Cannot store the worksheet items")));
        return;
    }
    QJsonArray out;
    for (const WorksheetItemRecord &item : std::as_const(items)) {
        out.append(WorksheetJson::itemResource(item));
    }
    responder.send(JsonApi::document(out));
}

} // namespace codalab::localserver
