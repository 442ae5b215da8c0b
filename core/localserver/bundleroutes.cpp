// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundleroutes.h"

#include "localserver/bundlemetadata.h"
#include "localserver/jsonapi.h"
#include "localserver/localhttpserver.h"
#include "server/bundlestate.h"
#include "util/bundleuuid.h"

#include <QDir>
#include <QRegularExpression>

namespace codalab::localserver {

using server::BundleState;

namespace {

const QString uuidPattern = QStringLiteral("(0x[0-9a-f]{32})");

/// A bundle's attributes of the wrong JSON type would read as empty; say which one is wrong instead.
QString shapeError(const QJsonValue &item)
{
    const QJsonValue attributes = item.toObject().value(QLatin1String("attributes"));
    if (!attributes.isObject()) {
        return QStringLiteral("Each bundle needs an \"attributes\" object");
    }
    const QJsonObject a = attributes.toObject();
    for (const char *key : { "bundle_type", "uuid", "command" }) {
        const QJsonValue v = a.value(QLatin1String(key));
        if (!v.isUndefined() && !v.isNull() && !v.isString()) {
            return QStringLiteral("\"%1\" must be a string").arg(QLatin1String(key));
        }
    }
    const QJsonValue metadata = a.value(QLatin1String("metadata"));
    if (!metadata.isUndefined() && !metadata.isObject()) {
        return QStringLiteral("\"metadata\" must be an object");
    }
    const QJsonValue dependencies = a.value(QLatin1String("dependencies"));
    if (!dependencies.isUndefined() && !dependencies.isArray()) {
        return QStringLiteral("\"dependencies\" must be a list");
    }
    for (const QJsonValue &d : dependencies.toArray()) {
        if (!d.isObject()) {
            return QStringLiteral("Each of \"dependencies\" must be an object");
        }
        for (const char *key : { "child_path", "parent_uuid", "parent_path" }) {
            const QJsonValue v = d.toObject().value(QLatin1String(key));
            if (!v.isUndefined() && !v.isNull() && !v.isString()) {
                return QStringLiteral("Dependency \"%1\" must be a string").arg(QLatin1String(key));
            }
        }
    }
    return {};
}

} // namespace

BundleRoutes::BundleRoutes(ServerStore &store, BundleStore &bundles, QString bundlesDir)
    : m_store(store)
    , m_bundles(bundles)
    , m_json(bundles)
    , m_bundlesDir(std::move(bundlesDir))
{ }

void BundleRoutes::install(LocalHttpServer &http)
{
    using A = LocalHttpServer::Auth;
    const auto bind = [this](void (BundleRoutes::*f)(HttpRequest &, const HttpResponder &)) {
        return [this, f](HttpRequest &r, const HttpResponder &s) { (this->*f)(r, s); };
    };
    http.addRoute("POST", QStringLiteral("/rest/bundles/?"), A::Required, bind(&BundleRoutes::create));
    http.addRoute("GET", QStringLiteral("/rest/bundles/?"), A::Required, bind(&BundleRoutes::list));
    http.addRoute("PATCH", QStringLiteral("/rest/bundles/?"), A::Required, bind(&BundleRoutes::edit));
    http.addRoute("DELETE", QStringLiteral("/rest/bundles/?"), A::Required, bind(&BundleRoutes::remove));
    http.addRoute("POST", QStringLiteral("/rest/bundle-actions/?"), A::Required, bind(&BundleRoutes::action));
    http.addRoute("GET", QStringLiteral("/rest/bundles/") + uuidPattern + QStringLiteral("/?"), A::Required,
        [this](HttpRequest &request, const HttpResponder &responder) {
            const auto bundle = m_bundles.get(request.captures.value(0));
            responder.send(bundle
                    ? JsonApi::document(m_json.resource(*bundle))
                    : HttpResponse::error(
                        404, QStringLiteral("Not found: '/bundles/%1'").arg(request.captures.value(0))));
        });
}

std::optional<BundleRecord> BundleRoutes::parseDependency(
    const QJsonObject &d, DependencyRecord *out, QString *error)
{
    static const QRegularExpression childPath(QStringLiteral("^[a-zA-Z0-9_\\-./]*$"));
    out->childPath = d.value(QLatin1String("child_path")).toString();
    out->parentUuid = d.value(QLatin1String("parent_uuid")).toString();
    out->parentPath = d.value(QLatin1String("parent_path")).toString();
    if (out->childPath.isEmpty() || !childPath.match(out->childPath).hasMatch()) {
        *error = QStringLiteral("Invalid dependency key '%1': use letters, digits and _ - . /")
                     .arg(out->childPath);
        return std::nullopt;
    }
    if (out->parentPath.startsWith(QLatin1Char('/'))
        || out->parentPath.split(QLatin1Char('/')).contains(QLatin1String(".."))) {
        *error = QStringLiteral("Invalid dependency path '%1': it must stay inside the parent bundle")
                     .arg(out->parentPath);
        return std::nullopt;
    }
    const auto parent = m_bundles.get(out->parentUuid);
    if (!parent) {
        *error = QStringLiteral("Dependency %1: no bundle %2").arg(out->childPath, out->parentUuid);
        return std::nullopt;
    }
    return parent;
}

void BundleRoutes::create(HttpRequest &request, const HttpResponder &responder)
{
    HttpResponse bad;
    const auto items = JsonApi::dataItems(request, &bad);
    if (!items) {
        responder.send(bad);
        return;
    }
    const bool detached = request.queryFlag(QStringLiteral("detached"));
    const QString worksheetUuid = request.queryValue(QStringLiteral("worksheet"));
    if (!detached && !m_store.worksheetByUuid(worksheetUuid)) {
        responder.send(worksheetUuid.isEmpty()
                ? HttpResponse::error(400, QStringLiteral("A worksheet is required (?worksheet=<uuid>)"))
                : HttpResponse::error(404, QStringLiteral("Not found: '/worksheets/%1'").arg(worksheetUuid)));
        return;
    }
    // Check every bundle before writing any, so a bad item leaves nothing half-made.
    QList<BundleRecord> made;
    for (const QJsonValue &item : *items) {
        if (const QString error = shapeError(item); !error.isEmpty()) {
            responder.send(HttpResponse::error(400, error));
            return;
        }
        const QJsonObject attributes = item.toObject().value(QLatin1String("attributes")).toObject();
        BundleRecord b;
        b.bundleType = attributes.value(QLatin1String("bundle_type")).toString();
        if (b.bundleType != QLatin1String("run") && b.bundleType != QLatin1String("dataset")) {
            responder.send(HttpResponse::error(
                400, QStringLiteral("Unsupported bundle_type '%1' (run or dataset)").arg(b.bundleType)));
            return;
        }
        b.uuid = attributes.value(QLatin1String("uuid")).toString();
        if (b.uuid.isEmpty()) {
            b.uuid = util::BundleUuid::generate();
        } else if (!util::BundleUuid::isValid(b.uuid)) {
            responder.send(HttpResponse::error(400, QStringLiteral("Invalid uuid '%1'").arg(b.uuid)));
            return;
        }
        b.ownerId = request.user->id;
        b.command = attributes.value(QLatin1String("command")).toString();
        if (b.bundleType == QLatin1String("run") && b.command.trimmed().isEmpty()) {
            responder.send(HttpResponse::error(400, QStringLiteral("A run bundle needs a command")));
            return;
        }
        QString error;
        const auto metadata = BundleMetadata::forCreate(
            b.bundleType, attributes.value(QLatin1String("metadata")).toObject(), &error);
        if (!metadata) {
            responder.send(HttpResponse::error(400, error));
            return;
        }
        b.metadata = *metadata;
        QStringList keys;
        for (const QJsonValue &d : attributes.value(QLatin1String("dependencies")).toArray()) {
            DependencyRecord dep;
            if (!parseDependency(d.toObject(), &dep, &error)) {
                responder.send(HttpResponse::error(400, error));
                return;
            }
            for (const QString &k : std::as_const(keys)) {
                if (k == dep.childPath || dep.childPath.startsWith(k + QLatin1Char('/'))
                    || k.startsWith(dep.childPath + QLatin1Char('/'))) {
                    responder.send(HttpResponse::error(
                        400, QStringLiteral("Dependency keys %1 and %2 clash").arg(k, dep.childPath)));
                    return;
                }
            }
            keys << dep.childPath;
            dep.childUuid = b.uuid;
            b.dependencies << dep;
        }
        b.state = BundleState::Created;
        made << b;
    }
    // All the bundles or none: a client that got no answer may send the request again.
    QString error;
    const bool inserted = m_store.transaction([&] {
        for (BundleRecord &b : made) {
            if (!m_bundles.insert(b, detached ? QString() : worksheetUuid, &error)) {
                return false;
            }
        }
        return true;
    });
    if (!inserted) {
        responder.send(HttpResponse::error(
            400, error.isEmpty() ? QStringLiteral("Cannot store the bundles: the database refused") : error));
        return;
    }
    QJsonArray data;
    for (BundleRecord &b : made) {
        // After the commit: a kill in between leaves a row without its directory, which the next start
        // makes (StoreRecovery); the other order would leave a directory nobody owns.
        QDir(m_bundlesDir).mkpath(b.uuid);
        data.append(m_json.resource(b));
    }
    responder.send(JsonApi::document(data));
    if (onChanged) {
        onChanged();
    }
}

std::optional<BundleRecord> BundleRoutes::resolveSpec(
    const QString &spec, const QString &worksheetUuid, const UserRecord &user, QString *error)
{
    static const QRegularExpression prefix(QStringLiteral("^0x[0-9a-f]{1,32}$"));
    static const QRegularExpression nth(QStringLiteral("^\\^(\\d*)$"));
    BundleQuery q;
    q.worksheetUuid = worksheetUuid;
    if (prefix.match(spec).hasMatch()) {
        q.worksheetUuid.clear(); // uuids are global
        q.uuidPrefix = spec;
        const QList<BundleRecord> found = m_bundles.search(q);
        if (found.size() > 1) {
            *error = QStringLiteral("More than one bundle has uuid prefix %1").arg(spec);
            return std::nullopt;
        }
        if (found.isEmpty()) {
            *error = QStringLiteral("No bundle found with uuid prefix %1").arg(spec);
            return std::nullopt;
        }
        return found.first();
    }
    if (const QRegularExpressionMatch m = nth.match(spec); m.hasMatch()) {
        const int n = m.captured(1).isEmpty() ? 1 : m.captured(1).toInt();
        const QList<BundleRecord> found = m_bundles.search(q);
        if (n < 1 || n > found.size()) {
            *error = QStringLiteral("%1 is out of range: the worksheet has %2 bundles")
                         .arg(spec)
                         .arg(found.size());
            return std::nullopt;
        }
        return found.at(n - 1);
    }
    q.name = spec;
    if (worksheetUuid.isEmpty()) {
        q.ownerId = user.id;
    }
    q.limit = 1;
    const QList<BundleRecord> found = m_bundles.search(q);
    if (found.isEmpty()) {
        *error = QStringLiteral("No bundle found with name %1").arg(spec);
        return std::nullopt;
    }
    return found.first();
}

void BundleRoutes::list(HttpRequest &request, const HttpResponder &responder)
{
    const QString worksheetUuid = request.queryValue(QStringLiteral("worksheet"));
    QJsonArray data;
    const QStringList specs = request.queryValues(QStringLiteral("specs"));
    if (!specs.isEmpty()) {
        for (const QString &spec : specs) {
            QString error;
            const auto bundle = resolveSpec(spec, worksheetUuid, *request.user, &error);
            if (!bundle) {
                responder.send(HttpResponse::error(404, error));
                return;
            }
            data.append(m_json.resource(*bundle));
        }
        responder.send(JsonApi::document(data));
        return;
    }
    BundleQuery q;
    q.worksheetUuid = worksheetUuid;
    bool count = false;
    for (const QString &keyword : request.queryValues(QStringLiteral("keywords"))) {
        const qsizetype eq = keyword.indexOf(QLatin1Char('='));
        const QString key = eq < 0 ? keyword : keyword.left(eq);
        const QString value = eq < 0 ? QString() : keyword.mid(eq + 1);
        if (keyword == QLatin1String(".mine")) {
            q.ownerId = request.user->id;
        } else if (keyword == QLatin1String(".count")) {
            count = true;
        } else if (key == QLatin1String(".limit") && value.toInt() > 0) {
            q.limit = value.toInt();
        } else if (key == QLatin1String("state")) {
            q.states = value.split(QLatin1Char(','), Qt::SkipEmptyParts);
        } else if (key == QLatin1String("name")) {
            q.name = value;
        } else if (key == QLatin1String("uuid")) {
            q.uuidPrefix = value;
        } else {
            responder.send(HttpResponse::error(400,
                QStringLiteral("Unsupported search keyword: %1 (supported: .mine, .count, "
                               ".limit=N, state=, name=, uuid=)")
                    .arg(keyword)));
            return;
        }
    }
    const QList<BundleRecord> found = m_bundles.search(q);
    if (count) {
        responder.send(JsonApi::meta(QJsonObject { { QStringLiteral("result"), found.size() } }));
        return;
    }
    for (const BundleRecord &b : found) {
        data.append(m_json.resource(b));
    }
    responder.send(JsonApi::document(data));
}

void BundleRoutes::edit(HttpRequest &request, const HttpResponder &responder)
{
    HttpResponse bad;
    const auto items = JsonApi::dataItems(request, &bad);
    if (!items) {
        responder.send(bad);
        return;
    }
    QList<BundleRecord> changed;
    for (const QJsonValue &item : *items) {
        const QString uuid = item.toObject().value(QLatin1String("id")).toString();
        auto bundle = m_bundles.get(uuid);
        if (!bundle) {
            responder.send(HttpResponse::error(404, QStringLiteral("Not found: '/bundles/%1'").arg(uuid)));
            return;
        }
        if (bundle->ownerId != request.user->id && !request.user->isRoot) {
            responder.send(HttpResponse::error(
                403, QStringLiteral("You do not have permission to edit bundle %1").arg(uuid)));
            return;
        }
        const QJsonObject changes = item.toObject()
                                        .value(QLatin1String("attributes"))
                                        .toObject()
                                        .value(QLatin1String("metadata"))
                                        .toObject();
        const bool started = bundle->state != BundleState::Created && bundle->state != BundleState::Staged
            && bundle->state != BundleState::Uploading;
        QString error;
        if (!BundleMetadata::checkEdit(changes, started, &error)) {
            responder.send(HttpResponse::error(400, error));
            return;
        }
        for (auto it = changes.begin(); it != changes.end(); ++it) {
            bundle->metadata.insert(it.key(), it.value());
        }
        changed << *bundle;
    }
    QJsonArray data;
    m_store.transaction([&] {
        for (const BundleRecord &b : std::as_const(changed)) {
            if (!m_bundles.update(b)) {
                return false;
            }
        }
        return true;
    });
    for (const BundleRecord &b : std::as_const(changed)) {
        data.append(m_json.resource(b));
    }
    responder.send(JsonApi::document(data));
    if (onChanged) {
        onChanged();
    }
}

void BundleRoutes::remove(HttpRequest &request, const HttpResponder &responder)
{
    HttpResponse bad;
    const auto items = JsonApi::dataItems(request, &bad);
    if (!items) {
        responder.send(bad);
        return;
    }
    const bool force = request.queryFlag(QStringLiteral("force"));
    const bool recursive = request.queryFlag(QStringLiteral("recursive"));
    const bool dryRun = request.queryFlag(QStringLiteral("dry-run"));
    QStringList ids;
    for (const QJsonValue &item : *items) {
        ids << item.toObject().value(QLatin1String("id")).toString();
    }
    // With recursive, the bundles that depend on these go too.
    for (qsizetype i = 0; recursive && i < ids.size(); ++i) {
        for (const QString &child : m_bundles.children(ids.at(i))) {
            if (!ids.contains(child)) {
                ids << child;
            }
        }
    }
    for (const QString &uuid : std::as_const(ids)) {
        const auto bundle = m_bundles.get(uuid);
        if (!bundle) {
            responder.send(HttpResponse::error(404, QStringLiteral("Not found: '/bundles/%1'").arg(uuid)));
            return;
        }
        if (bundle->ownerId != request.user->id && !request.user->isRoot) {
            responder.send(HttpResponse::error(
                403, QStringLiteral("You do not have permission to delete bundle %1").arg(uuid)));
            return;
        }
        QStringList blocking;
        for (const QString &child : m_bundles.children(uuid)) {
            if (!ids.contains(child)) {
                blocking << child;
            }
        }
        if (!blocking.isEmpty() && !force) {
            responder.send(HttpResponse::error(400,
                QStringLiteral("Can't delete bundle %1 because the following bundles depend on it:\n  %2")
                    .arg(uuid, blocking.join(QStringLiteral("\n  ")))));
            return;
        }
        const bool active = !bundle->isFinal() && bundle->state != BundleState::Created
            && bundle->state != BundleState::Staged;
        if (active && bundle->bundleType == QLatin1String("run") && !force) {
            responder.send(HttpResponse::error(400,
                QStringLiteral("Can't delete bundle %1 while it is %2: kill it first")
                    .arg(uuid, bundle->state)));
            return;
        }
    }
    if (!dryRun) {
        for (const QString &uuid : std::as_const(ids)) {
            m_bundles.remove(uuid);
            QDir(QDir(m_bundlesDir).filePath(uuid)).removeRecursively();
        }
    }
    responder.send(JsonApi::meta(QJsonObject { { QStringLiteral("ids"), QJsonArray::fromStringList(ids) } }));
}

void BundleRoutes::action(HttpRequest &request, const HttpResponder &responder)
{
    HttpResponse bad;
    const auto items = JsonApi::dataItems(request, &bad);
    if (!items) {
        responder.send(bad);
        return;
    }
    for (const QJsonValue &item : *items) {
        const QJsonObject attributes = item.toObject().value(QLatin1String("attributes")).toObject();
        const QString type = attributes.value(QLatin1String("type")).toString();
        const QString uuid = attributes.value(QLatin1String("uuid")).toString();
        auto bundle = m_bundles.get(uuid);
        if (!bundle) {
            responder.send(HttpResponse::error(404, QStringLiteral("Not found: '/bundles/%1'").arg(uuid)));
            return;
        }
        if (type != QLatin1String("kill") && type != QLatin1String("write")) {
            responder.send(HttpResponse::error(
                400, QStringLiteral("Unsupported bundle action '%1' (kill or write)").arg(type)));
            return;
        }
        if (bundle->isFinal()) {
            responder.send(HttpResponse::error(
                400, QStringLiteral("Cannot %1 bundle %2: it is already %3").arg(type, uuid, bundle->state)));
            return;
        }
        QJsonArray actions = bundle->metadata.value(QLatin1String("actions")).toArray();
        actions.append(type == QLatin1String("kill")
                ? type
                : type + QLatin1Char('\t') + attributes.value(QLatin1String("subpath")).toString());
        bundle->metadata.insert(QStringLiteral("actions"), actions);
        if (!bundle->workerId.isEmpty()) {
            QJsonObject message = attributes;
            if (!messenger || !messenger(*bundle, message)) {
                responder.send(HttpResponse::error(500, QStringLiteral("Unable to reach worker")));
                return;
            }
        } else if (type == QLatin1String("kill")) {
            // Not on a worker: nothing runs, so the server ends it itself, as upstream.
            bundle->state = BundleState::Killed;
            bundle->metadata.insert(QStringLiteral("failure_message"), QStringLiteral("Kill requested"));
        } else {
            responder.send(HttpResponse::error(
                400, QStringLiteral("Cannot write into bundle %1: it is not running").arg(uuid)));
            return;
        }
        m_bundles.update(*bundle);
    }
    responder.send(JsonApi::document(*items));
    if (onChanged) {
        onChanged();
    }
}

} // namespace codalab::localserver
