// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundleremoval.h"

#include "localserver/bundlestore.h"
#include "localserver/jsonapi.h"
#include "localserver/localhttpserver.h"
#include "localserver/permission.h"
#include "localserver/worksheetstore.h"
#include "server/bundlestate.h"
#include "server/metadatakey.h"
#include "util/treecopy.h"

#include <QDir>
#include <QFileInfo>

namespace codalab::localserver {

BundleRemoval::BundleRemoval(BundleStore &bundles, WorksheetStore &worksheets, QString bundlesDir)
    : m_bundles(bundles)
    , m_worksheets(worksheets)
    , m_bundlesDir(std::move(bundlesDir))
{ }

void BundleRemoval::install(LocalHttpServer &http)
{
    http.addRoute("DELETE", QStringLiteral("/rest/bundles/?"), LocalHttpServer::Auth::Required,
        [this](HttpRequest &r, const HttpResponder &s) { remove(r, s); });
}

QString BundleRemoval::describe(const QString &uuid) const
{
    const auto b = m_bundles.get(uuid);
    return QStringLiteral("%1(%2)").arg(
        b ? b->metadata.value(server::MetadataKey::Name).toString() : QString(), uuid);
}

void BundleRemoval::remove(HttpRequest &request, const HttpResponder &responder)
{
    HttpResponse bad;
    const auto items = JsonApi::dataItems(request, &bad);
    if (!items) {
        responder.send(bad);
        return;
    }
    const bool force = request.queryFlag(QStringLiteral("force"));
    const bool recursive = request.queryFlag(QStringLiteral("recursive"));
    const bool dataOnly = request.queryFlag(QStringLiteral("data-only"));
    const bool dryRun = request.queryFlag(QStringLiteral("dry-run"));
    QStringList uuids;
    for (const QJsonValue &item : *items) {
        if (item.toObject().value(QLatin1String("type")).toString() != QLatin1String("bundles")) {
            responder.send(HttpResponse::error(400, QStringLiteral("type must be 'bundles'")));
            return;
        }
        const QString uuid = item.toObject().value(QLatin1String("id")).toString();
        if (!uuids.contains(uuid)) {
            uuids << uuid;
        }
    }
    const QStringList descendants = m_bundles.descendants(uuids);
    if (!recursive && !force && !descendants.isEmpty()) {
        QStringList names;
        for (const QString &uuid : descendants) {
            names << describe(uuid);
        }
        responder.send(HttpResponse::error(400,
            QStringLiteral("Can't delete bundles %1 because the following bundles depend on them:\n  %2")
                .arg(uuids.join(QLatin1Char(' ')), names.join(QStringLiteral("\n  ")))));
        return;
    }
    const QStringList relevant = recursive ? uuids + descendants : uuids;
    QStringList active;
    for (const QString &uuid : relevant) {
        HttpResponse refusal;
        const auto bundle = Permission::changeableBundle(m_bundles, uuid, *request.user, &refusal);
        if (!bundle) {
            responder.send(refusal);
            return;
        }
        if (server::BundleState::isActive(bundle->state)) {
            active << uuid;
        }
        if (bundle->frozen > 0) {
            responder.send(HttpResponse::error(
                403, QStringLiteral("Cannot mutate frozen bundle %1.").arg(describe(uuid))));
            return;
        }
        const QList<WorksheetRecord> hosts = m_worksheets.hostsOf(uuid);
        QStringList hostNames;
        for (const WorksheetRecord &ws : hosts) {
            hostNames << QStringLiteral("%1(%2)").arg(ws.name, ws.uuid);
            if (ws.frozen > 0) {
                responder.send(HttpResponse::error(400,
                    QStringLiteral(
                        "Can't delete bundle %1 because it appears in frozen worksheets (need to delete "
                        "worksheet first):\n  %2")
                        .arg(uuid, hostNames.last())));
                return;
            }
        }
        if (hosts.size() > 1 && !force) {
            responder.send(HttpResponse::error(400,
                QStringLiteral("Can't delete bundle %1 because it appears in multiple worksheets (--force to "
                               "override):\n  %2")
                    .arg(uuid, hostNames.join(QStringLiteral("\n  ")))));
            return;
        }
    }
    if (!active.isEmpty()) {
        responder.send(HttpResponse::error(400,
            QStringLiteral(
                "Can't delete bundles: %1. For run bundles, kill them first. Bundles stuck not running "
                "will eventually automatically be moved to a state where they can be deleted.")
                .arg(active.join(QLatin1Char(' ')))));
        return;
    }
    if (!dryRun) {
        for (const QString &uuid : relevant) {
            // The row first: a kill in between leaves contents no row names, which the next start removes.
            if (dataOnly) {
                if (auto bundle = m_bundles.get(uuid)) {
                    bundle->metadata.insert(server::MetadataKey::DataSize, 0);
                    m_bundles.update(*bundle);
                }
            } else {
                m_bundles.remove(uuid);
            }
            util::TreeCopy::remove(QDir(m_bundlesDir).filePath(uuid));
        }
    }
    responder.send(JsonApi::meta({ { QStringLiteral("ids"), QJsonArray::fromStringList(relevant) } }));
    if (!dryRun && onChanged) {
        onChanged();
    }
}

} // namespace codalab::localserver
