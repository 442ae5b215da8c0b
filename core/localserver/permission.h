// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlestore.h"
#include "localserver/httpresponse.h"
#include "localserver/serverstore.h"

#include <QJsonObject>

#include <optional>

namespace codalab::localserver {

/// Who may do what on this server. There are no groups: as with upstream's default, everything is readable
/// by every user (the `public` group has read), and the owner and root may change it (all).
class Permission
{
public:
    Permission() = delete;

    enum Level { None = 0, Read = 1, All = 2 };

    static Level of(const QString &ownerId, const UserRecord &user);
    static QString spec(int level);
    /// Upstream's refusal: "User <name>(<id>) does not have sufficient permissions on <kind> <uuid> (have
    /// read, need all)."
    static QString denied(
        const UserRecord &user, const QString &kind, const QString &uuid, int have, int need);
    /// The 403 answer when `user` may not change what `ownerId` owns (`kind` "bundle" or "worksheet"), or
    /// nullopt when they may.
    static std::optional<HttpResponse> refuseUnlessAll(
        const QString &ownerId, const UserRecord &user, const QString &kind, const QString &uuid);
    /// The bundle `uuid` when it exists and `user` may change it; otherwise nullopt with `*refusal` set to
    /// the 404 or 403 upstream answers.
    static std::optional<BundleRecord> changeableBundle(
        const BundleStore &bundles, const QString &uuid, const UserRecord &user, HttpResponse *refusal);
    /// The one group permission every worksheet and bundle has here: public can read.
    static QJsonObject publicRead(const QString &type, const QString &objectUuid);
    static constexpr QLatin1String PublicGroupUuid { "0x00000000000000000000000000000000" };
};

} // namespace codalab::localserver
