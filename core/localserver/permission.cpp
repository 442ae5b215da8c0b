// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/permission.h"

#include "localserver/jsonapiincluded.h"

namespace codalab::localserver {

Permission::Level Permission::of(const QString &ownerId, const UserRecord &user)
{
    return user.isRoot || user.id == ownerId ? All : Read;
}

QString Permission::spec(int level)
{
    return level >= All ? QStringLiteral("all")
        : level == Read ? QStringLiteral("read")
                        : QStringLiteral("none");
}

QString Permission::denied(
    const UserRecord &user, const QString &kind, const QString &uuid, int have, int need)
{
    return QStringLiteral("User %1(%2) does not have sufficient permissions on %3 %4 (have %5, need %6).")
        .arg(user.name, user.id, kind, uuid, spec(have), spec(need));
}

std::optional<HttpResponse> Permission::refuseUnlessAll(
    const QString &ownerId, const UserRecord &user, const QString &kind, const QString &uuid)
{
    const Level have = of(ownerId, user);
    if (have >= All) {
        return std::nullopt;
    }
    return HttpResponse::error(403, denied(user, kind, uuid, have, All));
}

std::optional<BundleRecord> Permission::changeableBundle(
    const BundleStore &bundles, const QString &uuid, const UserRecord &user, HttpResponse *refusal)
{
    auto bundle = bundles.get(uuid);
    if (!bundle) {
        *refusal = HttpResponse::error(404, QStringLiteral("Bundle %1 not found").arg(uuid));
        return std::nullopt;
    }
    if (auto refused = refuseUnlessAll(bundle->ownerId, user, QStringLiteral("bundle"), uuid)) {
        *refusal = std::move(*refused);
        return std::nullopt;
    }
    return bundle;
}

QJsonObject Permission::publicRead(const QString &type, const QString &objectUuid)
{
    return QJsonObject { { QStringLiteral("type"), type },
        { QStringLiteral("id"), QString(objectUuid + QStringLiteral("-public")) },
        { QStringLiteral("attributes"),
            QJsonObject { { QStringLiteral("group_name"), QStringLiteral("public") },
                { QStringLiteral("permission"), int(Read) },
                { QStringLiteral("permission_spec"), spec(Read) } } },
        { QStringLiteral("relationships"),
            QJsonObject { { QStringLiteral("group"),
                JsonApiIncluded::link(QStringLiteral("groups"), PublicGroupUuid) } } } };
}

} // namespace codalab::localserver
