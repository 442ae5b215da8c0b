// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundleactions.h"

#include "localserver/bundlestore.h"
#include "localserver/jsonapi.h"
#include "localserver/localhttpserver.h"
#include "localserver/permission.h"
#include "server/bundlestate.h"
#include "server/metadatakey.h"

#include <QRegularExpression>

namespace codalab::localserver {

using server::BundleState;

void BundleActions::install(LocalHttpServer &http)
{
    http.addRoute("POST", QStringLiteral("/rest/bundle-actions/?"), LocalHttpServer::Auth::Required,
        [this](HttpRequest &r, const HttpResponder &s) { act(r, s); });
}

void BundleActions::act(HttpRequest &request, const HttpResponder &responder)
{
    HttpResponse bad;
    const auto items = JsonApi::dataItems(request, &bad);
    if (!items) {
        responder.send(bad);
        return;
    }
    static const QRegularExpression subpathPattern(QStringLiteral("^[a-zA-Z0-9_\\-.]*$"));
    bool changed = false;
    for (const QJsonValue &item : *items) {
        const QJsonObject attributes = item.toObject().value(QLatin1String("attributes")).toObject();
        const QString type = attributes.value(QLatin1String("type")).toString();
        const QString uuid = attributes.value(QLatin1String("uuid")).toString();
        if (type != QLatin1String("kill") && type != QLatin1String("write")) {
            responder.send(HttpResponse::error(
                400, QStringLiteral("Unsupported bundle action '%1' (kill or write)").arg(type)));
            return;
        }
        const QString subpath = attributes.value(QLatin1String("subpath")).toString();
        if (type == QLatin1String("write") && !subpathPattern.match(subpath).hasMatch()) {
            responder.send(HttpResponse::error(
                400, QStringLiteral("Child path must match ^[a-zA-Z0-9_\\-.]*$, was %1").arg(subpath)));
            return;
        }
        if (!attributes.value(QLatin1String("uuid")).isString()) {
            responder.send(
                HttpResponse::error(400, QStringLiteral("A bundle action needs the \"uuid\" of a bundle")));
            return;
        }
        HttpResponse refusal;
        auto bundle = Permission::changeableBundle(m_bundles, uuid, *request.user, &refusal);
        if (!bundle) {
            responder.send(refusal);
            return;
        }
        if (bundle->isFinal()) {
            responder.send(HttpResponse::error(400,
                QStringLiteral(
                    "Cannot execute this action on a bundle that is in the following states: ready, "
                    "failed, killed. Kill action can be executed on bundles in created, uploading, staged, "
                    "making, starting, running, preparing, or finalizing state.")));
            return;
        }
        QJsonArray actions = bundle->metadata.value(server::MetadataKey::Actions).toArray();
        actions.append(type == QLatin1String("kill") ? type
                                                     : type + QLatin1Char('\t') + subpath + QLatin1Char('\t')
                    + attributes.value(QLatin1String("string")).toString());
        bundle->metadata.insert(server::MetadataKey::Actions, actions);
        if (!bundle->workerId.isEmpty()) {
            if (!messenger || !messenger(*bundle, attributes)) {
                responder.send(HttpResponse::error(500, QStringLiteral("Unable to reach worker")));
                return;
            }
        } else if (type == QLatin1String("kill")) {
            // Not on a worker: nothing runs, so the server ends it itself, as upstream.
            bundle->state = BundleState::Killed;
            bundle->metadata.insert(server::MetadataKey::FailureMessage, QStringLiteral("Kill requested"));
        } else {
            responder.send(HttpResponse::error(
                400, QStringLiteral("Cannot write into bundle %1: it is not running").arg(uuid)));
            return;
        }
        m_bundles.update(*bundle);
        changed = true;
    }
    // The actions echoed back, each with the `id` the Python client expects of a resource (upstream's is
    // null).
    QJsonArray echoed;
    for (const QJsonValue &item : *items) {
        QJsonObject action = item.toObject();
        action.insert(QStringLiteral("type"), QStringLiteral("bundle-actions"));
        action.insert(QStringLiteral("id"), QJsonValue());
        echoed.append(action);
    }
    responder.send(JsonApi::document(echoed));
    if (changed && onChanged) {
        onChanged();
    }
}

} // namespace codalab::localserver
