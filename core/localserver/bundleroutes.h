// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlejson.h"
#include "localserver/bundlestore.h"
#include "localserver/httprequest.h"
#include "localserver/httpresponder.h"

#include <QJsonObject>

#include <functional>

namespace codalab::localserver {

class LocalHttpServer;

/// /rest/bundles (create, get, resolve specs and search, edit metadata, delete) and /rest/bundle-actions.
class BundleRoutes
{
public:
    /// Hands a message to the worker a bundle is on (kill, write); false when it cannot be delivered.
    using WorkerMessenger = std::function<bool(const BundleRecord &bundle, const QJsonObject &message)>;

    BundleRoutes(ServerStore &store, BundleStore &bundles, QString bundlesDir);
    void install(LocalHttpServer &http);

    /// Called after any change the scheduler may want to act on.
    std::function<void()> onChanged;
    WorkerMessenger messenger;

private:
    void create(HttpRequest &request, const HttpResponder &responder);
    void list(HttpRequest &request, const HttpResponder &responder);
    void edit(HttpRequest &request, const HttpResponder &responder);
    void remove(HttpRequest &request, const HttpResponder &responder);
    void action(HttpRequest &request, const HttpResponder &responder);
    /// A uuid, a uuid prefix, a name or ^N, on `worksheetUuid` when given; nullopt and *error otherwise.
    std::optional<BundleRecord> resolveSpec(
        const QString &spec, const QString &worksheetUuid, const UserRecord &user, QString *error);
    std::optional<BundleRecord> parseDependency(
        const QJsonObject &dependency, DependencyRecord *out, QString *error);

    ServerStore &m_store;
    BundleStore &m_bundles;
    BundleJson m_json;
    QString m_bundlesDir;
};

} // namespace codalab::localserver
