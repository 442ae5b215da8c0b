// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/userroutes.h"

#include "localserver/bundlestore.h"
#include "localserver/jsonapi.h"
#include "localserver/localhttpserver.h"
#include "server/metadatakey.h"

#include <QUrl>

namespace codalab::localserver {

namespace {

// What a user may not change of their own record (upstream's USER_READ_ONLY_FIELDS, in its order).
const QStringList readOnlyFields { QStringLiteral("email"), QStringLiteral("has_access"),
    QStringLiteral("time_quota"), QStringLiteral("parallel_run_quota"), QStringLiteral("time_used"),
    QStringLiteral("disk_quota"), QStringLiteral("disk_used"), QStringLiteral("date_joined"),
    QStringLiteral("last_login") };

bool isValidUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    static const QStringList schemes { QStringLiteral("http"), QStringLiteral("https"), QStringLiteral("ftp"),
        QStringLiteral("ftps") };
    return url.isValid() && schemes.contains(url.scheme()) && !url.host().isEmpty();
}

} // namespace

UserRoutes::UserRoutes(ServerStore &store, BundleStore &bundles, const QuotaMeter &quotas)
    : m_store(store)
    , m_bundles(bundles)
    , m_json(quotas)
{ }

void UserRoutes::install(LocalHttpServer &http)
{
    using A = LocalHttpServer::Auth;
    const auto bind = [this](void (UserRoutes::*f)(HttpRequest &, const HttpResponder &)) {
        return [this, f](HttpRequest &r, const HttpResponder &s) { (this->*f)(r, s); };
    };
    http.addRoute("GET", QStringLiteral("/rest/user/?"), A::Required, bind(&UserRoutes::self));
    http.addRoute("PATCH", QStringLiteral("/rest/user/?"), A::Required, bind(&UserRoutes::editSelf));
    http.addRoute("PATCH", QStringLiteral("/rest/user/increment_disk_used/?"), A::Required,
        bind(&UserRoutes::incrementDiskUsed));
    http.addRoute("GET", QStringLiteral("/rest/users/([^/]+)/?"), A::Required, bind(&UserRoutes::one));
    http.addRoute("PATCH", QStringLiteral("/rest/users/?"), A::Required, bind(&UserRoutes::editAny));
}

std::optional<UserRecord> UserRoutes::find(const QString &spec) const
{
    auto user = m_store.userById(spec);
    return user ? user : m_store.userByName(spec);
}

void UserRoutes::self(HttpRequest &request, const HttpResponder &responder)
{
    responder.send(JsonApi::document(m_json.resource(*request.user, UserJson::View::Self)));
}

std::optional<UserUpdate> UserRoutes::parseUpdate(
    const QJsonObject &attributes, bool asRoot, HttpResponse *refusal) const
{
    if (!asRoot) {
        QStringList present;
        for (const QString &field : readOnlyFields) {
            if (attributes.contains(field)) {
                present << field;
            }
        }
        if (!present.isEmpty()) {
            *refusal = HttpResponse::error(403,
                QStringLiteral("These fields are read-only: %1")
                    .arg(readOnlyFields.join(QStringLiteral(", "))));
            return std::nullopt;
        }
    }
    UserUpdate update;
    for (auto it = attributes.begin(); it != attributes.end(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        if (!v.isNull() && !v.isString() && !v.isDouble() && !v.isBool()) {
            *refusal = HttpResponse::error(400, QStringLiteral("%1: not a valid value.").arg(key));
            return std::nullopt;
        }
        if (key == QLatin1String("url") && !v.isNull() && !isValidUrl(v.toString())) {
            *refusal = HttpResponse::error(400, QStringLiteral("Not a valid URL."));
            return std::nullopt;
        }
        const auto quota = [&v]() -> std::optional<qint64> {
            return v.isNull() ? std::nullopt : std::optional(qint64(v.toDouble()));
        };
        if (key == QLatin1String("user_name")) {
            update.name = v.toString();
        } else if (key == QLatin1String("first_name")) {
            update.firstName = v.toString();
        } else if (key == QLatin1String("last_name")) {
            update.lastName = v.toString();
        } else if (key == QLatin1String("affiliation")) {
            update.affiliation = v.toString();
        } else if (key == QLatin1String("url")) {
            update.url = v.toString();
        } else if (key == QLatin1String("avatar_id")) {
            update.avatarId = v.toString();
        } else if (key == QLatin1String("notifications")) {
            update.notifications = v.toInt();
        } else if (key == QLatin1String("email")) {
            update.email = v.toString();
        } else if (key == QLatin1String("time_quota")) {
            update.timeQuota = quota();
        } else if (key == QLatin1String("disk_quota")) {
            update.diskQuota = quota();
        } else if (key == QLatin1String("parallel_run_quota")) {
            update.parallelRunQuota = v.isNull() ? std::nullopt : std::optional(v.toInt());
        } else if (key == QLatin1String("has_access")) {
            *refusal
                = HttpResponse::error(400, QStringLiteral("This CodaLab instance is not in protected mode."));
            return std::nullopt;
        }
        // Anything else (id, date fields of root's own edit) is ignored, as upstream's schema load does.
    }
    return update;
}

void UserRoutes::editSelf(HttpRequest &request, const HttpResponder &responder)
{
    HttpResponse refusal;
    const auto items = JsonApi::dataItems(request, &refusal);
    if (!items) {
        responder.send(refusal);
        return;
    }
    if (items->size() != 1) {
        responder.send(HttpResponse::error(400, QStringLiteral("Send one user to update.")));
        return;
    }
    const auto update = parseUpdate(
        items->first().toObject().value(QLatin1String("attributes")).toObject(), false, &refusal);
    if (!update) {
        responder.send(refusal);
        return;
    }
    QString error;
    if (!m_store.updateUser(request.user->id, *update, &error)) {
        responder.send(HttpResponse::error(400, error));
        return;
    }
    responder.send(
        JsonApi::document(m_json.resource(*m_store.userById(request.user->id), UserJson::View::Self)));
}

void UserRoutes::incrementDiskUsed(HttpRequest &request, const HttpResponder &responder)
{
    HttpResponse refusal;
    const auto items = JsonApi::dataItems(request, &refusal);
    if (!items) {
        responder.send(refusal);
        return;
    }
    for (const QJsonValue &item : *items) {
        const QJsonObject a = item.toObject().value(QLatin1String("attributes")).toObject();
        const qint64 increment = qint64(a.value(QLatin1String("disk_used_increment")).toDouble());
        if (increment <= 0) {
            responder.send(
                HttpResponse::error(400, QStringLiteral("Only positive disk increments are allowed.")));
            return;
        }
        // Disk used is the sum of the bundles' data_size, so the bytes count where upstream counts them: on
        // the bundle being uploaded, whose size the finished upload then sets to what it unpacked to.
        auto bundle = m_bundles.get(a.value(QLatin1String("bundle_uuid")).toString());
        if (bundle && bundle->ownerId == request.user->id) {
            const QString key = server::MetadataKey::DataSize;
            bundle->metadata.insert(key, qint64(bundle->metadata.value(key).toDouble()) + increment);
            m_bundles.update(*bundle);
        }
    }
    responder.send(JsonApi::document(QJsonArray { m_json.resource(*request.user, UserJson::View::Self) }));
}

void UserRoutes::one(HttpRequest &request, const HttpResponder &responder)
{
    const QString spec = request.captures.value(0);
    const auto user = find(spec);
    if (!user) {
        responder.send(HttpResponse::error(404, QStringLiteral("User %1 not found").arg(spec)));
        return;
    }
    const UserJson::View view = request.user->isRoot ? UserJson::View::Admin
        : user->id == request.user->id               ? UserJson::View::Self
                                                     : UserJson::View::Public;
    responder.send(JsonApi::document(m_json.resource(*user, view)));
}

void UserRoutes::editAny(HttpRequest &request, const HttpResponder &responder)
{
    if (!request.user->isRoot) {
        responder.send(HttpResponse::error(403, QStringLiteral("Only root user can update other users.")));
        return;
    }
    HttpResponse refusal;
    const auto items = JsonApi::dataItems(request, &refusal);
    if (!items) {
        responder.send(refusal);
        return;
    }
    if (items->size() != 1) {
        responder.send(HttpResponse::error(400, QStringLiteral("Users can only be updated one at a time.")));
        return;
    }
    const QJsonObject item = items->first().toObject();
    const auto user = find(item.value(QLatin1String("id")).toString());
    if (!user) {
        responder.send(HttpResponse::error(
            404, QStringLiteral("User %1 not found").arg(item.value(QLatin1String("id")).toString())));
        return;
    }
    const auto update = parseUpdate(item.value(QLatin1String("attributes")).toObject(), true, &refusal);
    if (!update) {
        responder.send(refusal);
        return;
    }
    QString error;
    if (!m_store.updateUser(user->id, *update, &error)) {
        responder.send(HttpResponse::error(400, error));
        return;
    }
    responder.send(JsonApi::document(
        QJsonArray { m_json.resource(*m_store.userById(user->id), UserJson::View::Admin) }));
}

} // namespace codalab::localserver
