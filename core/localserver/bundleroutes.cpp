// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundleroutes.h"

#include "localserver/bundlemetadata.h"
#include "localserver/bundlesearch.h"
#include "localserver/jsonapi.h"
#include "localserver/localhttpserver.h"
#include "localserver/permission.h"
#include "localserver/quotameter.h"
#include "localserver/worksheetstore.h"
#include "server/bundlestate.h"
#include "server/bundletype.h"
#include "server/metadatakey.h"
#include "util/bundleuuid.h"
#include "util/bytesize.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QRegularExpression>

namespace codalab::localserver {

using server::BundleState;
using server::BundleType;
using server::MetadataKey;

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

QString nameOf(const BundleRecord &b)
{
    return b.metadata.value(MetadataKey::Name).toString();
}

} // namespace

BundleRoutes::BundleRoutes(ServerStore &store, BundleStore &bundles, WorksheetStore &worksheets,
    const BundleDocument &document, const QuotaMeter &quotas, QString bundlesDir)
    : m_store(store)
    , m_bundles(bundles)
    , m_worksheets(worksheets)
    , m_document(document)
    , m_quotas(quotas)
    , m_specs(bundles, worksheets)
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
    http.addRoute("GET", QStringLiteral("/rest/bundles/") + uuidPattern + QStringLiteral("/?"), A::Required,
        bind(&BundleRoutes::one));
    for (const QByteArray &method : { QByteArray("GET"), QByteArray("POST") }) {
        http.addRoute(method, QStringLiteral("/rest/bundles/") + uuidPattern + QStringLiteral("/locations/?"),
            A::Required, bind(&BundleRoutes::locations));
    }
}

std::optional<QSet<QString>> BundleRoutes::includes(
    const HttpRequest &request, const HttpResponder &responder)
{
    QSet<QString> out;
    for (const QString &part :
        request.queryValue(QStringLiteral("include")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!BundleDocument::knownIncludes().contains(part.trimmed())) {
            responder.send(
                HttpResponse::error(400, QStringLiteral("?include=%1 not supported").arg(part.trimmed())));
            return std::nullopt;
        }
        out.insert(part.trimmed());
    }
    return out;
}

bool BundleRoutes::parseDependency(
    const QJsonObject &d, bool mayBeEmpty, DependencyRecord *out, QString *error) const
{
    static const QRegularExpression childPath(QStringLiteral("^[a-zA-Z0-9_\\-./]*$"));
    out->childPath = d.value(QLatin1String("child_path")).toString();
    out->parentUuid = d.value(QLatin1String("parent_uuid")).toString();
    out->parentPath = d.value(QLatin1String("parent_path")).toString();
    if ((out->childPath.isEmpty() && !mayBeEmpty) || !childPath.match(out->childPath).hasMatch()) {
        *error = QStringLiteral("Invalid dependency key '%1': use letters, digits and _ - . /")
                     .arg(out->childPath);
        return false;
    }
    if (out->parentPath.startsWith(QLatin1Char('/'))
        || out->parentPath.split(QLatin1Char('/')).contains(QLatin1String(".."))) {
        *error = QStringLiteral("Invalid dependency path '%1': it must stay inside the parent bundle")
                     .arg(out->parentPath);
        return false;
    }
    if (!m_bundles.get(out->parentUuid)) {
        *error = QStringLiteral("Dependency %1: no bundle %2").arg(out->childPath, out->parentUuid);
        return false;
    }
    return true;
}

std::optional<BundleRecord> BundleRoutes::parseNew(
    const QJsonObject &a, const UserRecord &owner, bool waitForUpload, QString *error) const
{
    BundleRecord b;
    b.bundleType = a.value(QLatin1String("bundle_type")).toString();
    static const QStringList types { BundleType::Run, BundleType::Dataset, BundleType::Make,
        BundleType::Program };
    if (!types.contains(b.bundleType)) {
        *error = QStringLiteral("Unsupported bundle_type '%1' (run, dataset, make or program)")
                     .arg(b.bundleType);
        return std::nullopt;
    }
    b.uuid = a.value(QLatin1String("uuid")).toString();
    if (b.uuid.isEmpty()) {
        b.uuid = util::BundleUuid::generate();
    } else if (!util::BundleUuid::isValid(b.uuid)) {
        *error = QStringLiteral("Invalid uuid '%1'").arg(b.uuid);
        return std::nullopt;
    }
    b.ownerId = owner.id;
    b.command = a.value(QLatin1String("command")).toString();
    if (b.bundleType == BundleType::Run && b.command.trimmed().isEmpty()) {
        *error = QStringLiteral("A run bundle needs a command");
        return std::nullopt;
    }
    const auto metadata
        = BundleMetadata::forCreate(b.bundleType, a.value(QLatin1String("metadata")).toObject(), error);
    if (!metadata) {
        return std::nullopt;
    }
    b.metadata = *metadata;
    if (!b.metadata.value(MetadataKey::LinkUrl).toString().isEmpty()) {
        *error = QStringLiteral(
            "codalab-local-server keeps contents itself: a bundle linked to a path (--link) is not "
            "supported; upload it instead");
        return std::nullopt;
    }
    const QJsonArray dependencies = a.value(QLatin1String("dependencies")).toArray();
    QStringList keys;
    for (const QJsonValue &d : dependencies) {
        DependencyRecord dep;
        // `cl make <bundle>` packages one bundle under no key at all.
        if (!parseDependency(
                d.toObject(), b.bundleType == BundleType::Make && dependencies.size() == 1, &dep, error)) {
            return std::nullopt;
        }
        for (const QString &k : std::as_const(keys)) {
            if (k == dep.childPath || dep.childPath.startsWith(k + QLatin1Char('/'))
                || k.startsWith(dep.childPath + QLatin1Char('/'))) {
                *error = QStringLiteral("Dependency keys %1 and %2 clash").arg(k, dep.childPath);
                return std::nullopt;
            }
        }
        keys << dep.childPath;
        dep.childUuid = b.uuid;
        b.dependencies << dep;
    }
    // Uploaded kinds wait for their contents, as does anything created to be uploaded to.
    const bool uploaded = b.bundleType == BundleType::Dataset || b.bundleType == BundleType::Program;
    b.state = uploaded || waitForUpload ? QString(BundleState::Uploading) : QString(BundleState::Created);
    return b;
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
    if (!detached) {
        if (worksheetUuid.isEmpty()) {
            responder.send(HttpResponse::error(
                400, QStringLiteral("Parent worksheet id must be specified as 'worksheet' query parameter")));
            return;
        }
        const auto ws = m_worksheets.byUuid(worksheetUuid);
        if (!ws) {
            responder.send(HttpResponse::error(
                404, QStringLiteral("Could not find worksheet with uuid %1").arg(worksheetUuid)));
            return;
        }
        if (const auto refusal = Permission::refuseUnlessAll(
                ws->ownerId, *request.user, QStringLiteral("worksheet"), ws->uuid)) {
            responder.send(*refusal);
            return;
        }
        if (ws->frozen > 0) {
            responder.send(HttpResponse::error(
                403, QStringLiteral("Cannot mutate frozen worksheet %1(%2).").arg(ws->uuid, ws->name)));
            return;
        }
    }
    const qint64 used = m_quotas.diskUsed(request.user->id);
    const qint64 quota = m_quotas.diskQuota(*request.user);
    if (used >= quota) {
        responder.send(HttpResponse::error(400,
            QStringLiteral("Out of disk quota: %1 / %2 (%3%)")
                .arg(util::ByteSize::format(used), util::ByteSize::format(quota))
                .arg(quota > 0 ? 100.0 * double(used) / double(quota) : 100.0, 0, 'f', 1)));
        return;
    }
    // Check every bundle before writing any, so a bad item leaves nothing half-made.
    QList<BundleRecord> made;
    const bool waitForUpload = request.queryFlag(QStringLiteral("wait_for_upload"));
    for (const QJsonValue &item : *items) {
        QString error = shapeError(item);
        std::optional<BundleRecord> b;
        if (error.isEmpty()) {
            b = parseNew(item.toObject().value(QLatin1String("attributes")).toObject(), *request.user,
                waitForUpload, &error);
        }
        if (!b) {
            responder.send(HttpResponse::error(400, error));
            return;
        }
        made << *b;
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
    for (const BundleRecord &b : std::as_const(made)) {
        // A run's directory is where its worker writes (shared with a worker on this machine); an uploaded or
        // made bundle has no contents until they arrive, and reads say so meanwhile. After the commit: a kill
        // in between leaves a run without its directory, which the next start makes (StoreRecovery).
        if (b.bundleType == BundleType::Run) {
            QDir(m_bundlesDir).mkpath(b.uuid);
        }
    }
    responder.send(m_document.render(made, *request.user, {}));
    if (onChanged) {
        onChanged();
    }
}

void BundleRoutes::list(HttpRequest &request, const HttpResponder &responder)
{
    const auto include = includes(request, responder);
    if (!include) {
        return;
    }
    const QString worksheetUuid = request.queryValue(QStringLiteral("worksheet"));
    if (request.query.hasQueryItem(QStringLiteral("specs"))) {
        QList<BundleRecord> found;
        for (const QString &spec : request.queryValues(QStringLiteral("specs"))) {
            const BundleSpec::Result r = m_specs.resolve(spec, worksheetUuid, *request.user);
            if (!r.bundle) {
                responder.send(HttpResponse::error(r.status, r.error));
                return;
            }
            found << *r.bundle;
        }
        // `cl mimic` asks for the descendants too, `depth` generations of them.
        const int depth = request.queryValue(QStringLiteral("depth")).toInt();
        QStringList frontier;
        for (const BundleRecord &b : std::as_const(found)) {
            frontier << b.uuid;
        }
        for (int level = 0; level < depth && !frontier.isEmpty(); ++level) {
            QStringList next;
            for (const QString &uuid : std::as_const(frontier)) {
                for (const QString &child : m_bundles.children(uuid)) {
                    const bool seen = std::any_of(
                        found.cbegin(), found.cend(), [&](const BundleRecord &b) { return b.uuid == child; });
                    if (const auto bundle = seen ? std::nullopt : m_bundles.get(child)) {
                        found << *bundle;
                        next << child;
                    }
                }
            }
            frontier = next;
        }
        responder.send(m_document.render(found, *request.user, *include));
        return;
    }
    if (request.query.hasQueryItem(QStringLiteral("keywords"))) {
        QString error;
        const auto parsed = BundleSearch::parse(
            request.queryValues(QStringLiteral("keywords")), *request.user, m_store, &error);
        if (!parsed) {
            responder.send(HttpResponse::error(400, error));
            return;
        }
        if (parsed->mode == BundleSearch::Mode::Count) {
            responder.send(JsonApi::meta({ { QStringLiteral("result"), m_bundles.count(parsed->query) } }));
        } else if (parsed->mode == BundleSearch::Mode::Sum) {
            const QVariant sum = m_bundles.sum(parsed->query, parsed->sumExpression);
            responder.send(JsonApi::meta(
                { { QStringLiteral("result"), sum.isNull() ? QJsonValue() : QJsonValue(sum.toDouble()) } }));
        } else {
            responder.send(m_document.render(m_bundles.search(parsed->query), *request.user, *include));
        }
        return;
    }
    if (request.query.hasQueryItem(QStringLiteral("command"))) {
        // `cl run --memoize`: runs with this command and exactly these dependencies, oldest first.
        BundleQuery q;
        q.conditions << QStringLiteral("command = ?") << QStringLiteral("bundle_type = 'run'");
        q.values << request.queryValue(QStringLiteral("command"));
        q.orderBy = QStringLiteral("seq ASC");
        QSet<QString> wanted;
        for (const QJsonValue &d :
            QJsonDocument::fromJson(request.queryValue(QStringLiteral("dependencies")).toUtf8()).array()) {
            wanted.insert(d.toObject().value(QLatin1String("child_path")).toString() + QLatin1Char('\n')
                + d.toObject().value(QLatin1String("parent_uuid")).toString());
        }
        QList<BundleRecord> found;
        for (const BundleRecord &b : m_bundles.search(q)) {
            QSet<QString> have;
            for (const DependencyRecord &d : b.dependencies) {
                have.insert(d.childPath + QLatin1Char('\n') + d.parentUuid);
            }
            if (have == wanted) {
                found << b;
            }
        }
        responder.send(m_document.render(found, *request.user, *include));
        return;
    }
    responder.send(HttpResponse::error(
        400, QStringLiteral("Request must include either 'keywords' or 'specs' query parameter")));
}

void BundleRoutes::one(HttpRequest &request, const HttpResponder &responder)
{
    const auto include = includes(request, responder);
    if (!include) {
        return;
    }
    const auto bundle = m_bundles.get(request.captures.value(0));
    if (!bundle) {
        // Upstream's words for a bundle that is not there (codalab-protocol.md §9).
        responder.send(HttpResponse::error(
            404, QStringLiteral("Not found: '/bundles/%1'").arg(request.captures.value(0))));
        return;
    }
    responder.send(m_document.render({ *bundle }, *request.user, *include, true));
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
        HttpResponse refusal;
        auto bundle = Permission::changeableBundle(m_bundles, uuid, *request.user, &refusal);
        if (!bundle) {
            responder.send(refusal);
            return;
        }
        const QJsonObject a = item.toObject().value(QLatin1String("attributes")).toObject();
        if (a.contains(QLatin1String("frozen"))) {
            const bool freeze = !a.value(QLatin1String("frozen")).isNull()
                && a.value(QLatin1String("frozen")).toVariant().toBool();
            if (!bundle->isFinal()) {
                responder.send(HttpResponse::error(403,
                    QStringLiteral("Cannot freeze bundle %1(%2), bundle is not in a final state.")
                        .arg(uuid, nameOf(*bundle))));
                return;
            }
            bundle->frozen
                = freeze ? (bundle->frozen > 0 ? bundle->frozen : QDateTime::currentSecsSinceEpoch()) : 0;
        } else if (bundle->frozen > 0) {
            responder.send(HttpResponse::error(
                403, QStringLiteral("Cannot mutate frozen bundle %1(%2).").arg(uuid, nameOf(*bundle))));
            return;
        }
        if (a.contains(QLatin1String("is_anonymous"))) {
            bundle->isAnonymous = a.value(QLatin1String("is_anonymous")).toBool();
        }
        const QJsonObject changes = a.value(QLatin1String("metadata")).toObject();
        QString error;
        if (!BundleMetadata::checkEdit(*bundle, changes, &error)) {
            responder.send(HttpResponse::error(400, error));
            return;
        }
        for (auto it = changes.begin(); it != changes.end(); ++it) {
            bundle->metadata.insert(it.key(), it.value());
        }
        changed << *bundle;
    }
    m_store.transaction([&] {
        for (const BundleRecord &b : std::as_const(changed)) {
            if (!m_bundles.update(b)) {
                return false;
            }
        }
        return true;
    });
    responder.send(m_document.render(changed, *request.user, {}));
    if (onChanged) {
        onChanged();
    }
}

void BundleRoutes::locations(HttpRequest &request, const HttpResponder &responder)
{
    const auto bundle = m_bundles.get(request.captures.value(0));
    if (!bundle) {
        responder.send(
            HttpResponse::error(404, QStringLiteral("Bundle %1 not found").arg(request.captures.value(0))));
        return;
    }
    if (request.method == "GET") {
        // Contents live in this server's one store, its disk: no other location to name.
        responder.send(JsonApi::document(QJsonArray()));
        return;
    }
    if (const auto refusal = Permission::refuseUnlessAll(
            bundle->ownerId, *request.user, QStringLiteral("bundle"), bundle->uuid)) {
        responder.send(*refusal);
        return;
    }
    // No connection string for a direct upload to blob storage: the client then sends the contents here.
    const QJsonObject location { { QStringLiteral("type"), QStringLiteral("bundle_locations") },
        { QStringLiteral("id"), bundle->uuid },
        { QStringLiteral("attributes"),
            QJsonObject { { QStringLiteral("bundle_uuid"), bundle->uuid },
                { QStringLiteral("bundle_store_uuid"), QJsonValue() },
                { QStringLiteral("bundle_conn_str"), QJsonValue() },
                { QStringLiteral("index_conn_str"), QJsonValue() },
                { QStringLiteral("bundle_url"), QJsonValue() } } } };
    responder.send(JsonApi::document(QJsonArray { location }));
}

} // namespace codalab::localserver
