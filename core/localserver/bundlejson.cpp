// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundlejson.h"

#include "localserver/bundlestore.h"
#include "localserver/jsonapiincluded.h"
#include "localserver/permission.h"
#include "localserver/worksheetjson.h"
#include "server/bundlestate.h"
#include "server/bundletype.h"

#include <QJsonArray>

namespace codalab::localserver {

using server::BundleState;

namespace {

QString shellQuote(const QString &s)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_./:=,@%+-]+$"));
    if (safe.match(s).hasMatch()) {
        return s;
    }
    QString quoted = s;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\"'\"'"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

QString BundleJson::stateDetails(const BundleRecord &b)
{
    const QString &s = b.state;
    if (s == BundleState::Staged) {
        return b.metadata.value(QLatin1String("staged_status")).toString();
    }
    if (s == BundleState::Preparing || s == BundleState::Running) {
        return b.metadata.value(QLatin1String("run_status")).toString();
    }
    if (s == BundleState::Created) {
        return QStringLiteral("Bundle has been created but its contents have not been populated yet.");
    }
    if (s == BundleState::Uploading) {
        return QStringLiteral("Bundle contents are being uploaded.");
    }
    if (s == BundleState::Making) {
        return QStringLiteral("Bundle is being made from its dependencies.");
    }
    if (s == BundleState::Starting) {
        return QStringLiteral("Bundle has been assigned to a worker and is waiting for it to start.");
    }
    if (s == BundleState::Finalizing) {
        return QStringLiteral("Bundle has finished running and its results are being finalized.");
    }
    if (s == BundleState::WorkerOffline) {
        return QStringLiteral("The worker running this bundle has not checked in recently.");
    }
    if (s == BundleState::Ready) {
        return QStringLiteral("Bundle is ready.");
    }
    if (s == BundleState::Failed) {
        return b.metadata.value(QLatin1String("failure_message")).toString();
    }
    if (s == BundleState::Killed) {
        return QStringLiteral("Bundle was killed.");
    }
    return {};
}

QString BundleJson::args(const BundleRecord &b)
{
    QStringList words { b.bundleType == server::BundleType::Run ? QStringLiteral("run")
            : b.bundleType == server::BundleType::Make          ? QStringLiteral("make")
                                                                : QStringLiteral("upload") };
    for (const DependencyRecord &d : b.dependencies) {
        words << shellQuote(d.childPath + QLatin1Char(':') + d.parentUuid
            + (d.parentPath.isEmpty() ? QString() : QLatin1Char('/') + d.parentPath));
    }
    if (!b.command.isEmpty()) {
        words << shellQuote(b.command);
    }
    for (auto it = b.metadata.begin(); it != b.metadata.end(); ++it) {
        if (!it.key().startsWith(QLatin1String("request_"))) {
            continue;
        }
        const QJsonValue v = it.value();
        if (v.isNull() || (v.isString() && v.toString().isEmpty())) {
            continue;
        }
        words << QStringLiteral("--") + QString(it.key()).replace(QLatin1Char('_'), QLatin1Char('-'))
              << shellQuote(v.isBool() ? (v.toBool() ? QStringLiteral("True") : QStringLiteral("False"))
                                       : v.toVariant().toString());
    }
    return words.join(QLatin1Char(' '));
}

QJsonObject BundleJson::resource(const BundleRecord &b, const UserRecord *caller) const
{
    const int permission = caller ? Permission::of(b.ownerId, *caller) : Permission::All;
    const bool hideOwner = b.isAnonymous && permission < Permission::All;
    QJsonArray dependencies;
    for (const DependencyRecord &d : b.dependencies) {
        const auto parent = m_bundles.get(d.parentUuid);
        dependencies.append(QJsonObject { { QStringLiteral("child_uuid"), d.childUuid },
            { QStringLiteral("child_path"), d.childPath }, { QStringLiteral("parent_uuid"), d.parentUuid },
            { QStringLiteral("parent_path"), d.parentPath },
            { QStringLiteral("parent_name"),
                parent ? parent->metadata.value(QLatin1String("name")) : QJsonValue() },
            { QStringLiteral("parent_state"), parent ? QJsonValue(parent->state) : QJsonValue() } });
    }
    const QJsonObject attributes { { QStringLiteral("uuid"), b.uuid },
        { QStringLiteral("bundle_type"), b.bundleType },
        { QStringLiteral("command"), b.command.isNull() ? QJsonValue() : QJsonValue(b.command) },
        { QStringLiteral("state"), b.state }, { QStringLiteral("state_details"), stateDetails(b) },
        { QStringLiteral("metadata"), b.metadata }, { QStringLiteral("dependencies"), dependencies },
        { QStringLiteral("permission"), permission },
        { QStringLiteral("permission_spec"), Permission::spec(permission) },
        { QStringLiteral("is_anonymous"), b.isAnonymous },
        { QStringLiteral("frozen"), WorksheetJson::isoDate(b.frozen) }, { QStringLiteral("args"), args(b) } };
    return QJsonObject { { QStringLiteral("type"), QStringLiteral("bundles") },
        { QStringLiteral("id"), b.uuid }, { QStringLiteral("attributes"), attributes },
        { QStringLiteral("relationships"),
            QJsonObject { { QStringLiteral("owner"),
                JsonApiIncluded::link(QStringLiteral("users"), hideOwner ? QString() : b.ownerId) } } } };
}

} // namespace codalab::localserver
