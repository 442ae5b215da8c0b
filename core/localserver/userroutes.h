// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/httprequest.h"
#include "localserver/httpresponder.h"
#include "localserver/userjson.h"

namespace codalab::localserver {

class BundleStore;
class LocalHttpServer;
class QuotaMeter;

/// /rest/user (the caller: `cl uinfo`, `cl uedit`, and the quota the CLI checks mid-upload) and /rest/users
/// (anyone's public part; root sees and sets quotas), with upstream's rules on which fields are read-only.
class UserRoutes
{
public:
    UserRoutes(ServerStore &store, BundleStore &bundles, const QuotaMeter &quotas);
    void install(LocalHttpServer &http);

private:
    void self(HttpRequest &request, const HttpResponder &responder);
    void editSelf(HttpRequest &request, const HttpResponder &responder);
    void incrementDiskUsed(HttpRequest &request, const HttpResponder &responder);
    void one(HttpRequest &request, const HttpResponder &responder);
    void editAny(HttpRequest &request, const HttpResponder &responder);
    /// The user an id or a name names.
    std::optional<UserRecord> find(const QString &spec) const;
    /// Reads the changes of one `users` item; nullopt and the answer that refuses it otherwise.
    std::optional<UserUpdate> parseUpdate(
        const QJsonObject &attributes, bool asRoot, HttpResponse *refusal) const;

    ServerStore &m_store;
    BundleStore &m_bundles;
    UserJson m_json;
};

} // namespace codalab::localserver
