// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/interpretroutes.h"

#include "localserver/bundlestore.h"
#include "localserver/genpath.h"
#include "localserver/jsonapi.h"
#include "localserver/localhttpserver.h"
#include "localserver/worksheetinterpreter.h"
#include "localserver/worksheetstore.h"
#include "util/bundleuuid.h"

#include <QDir>

namespace codalab::localserver {

namespace {

HttpResponse withVersion(QJsonObject body)
{
    body.insert(QStringLiteral("meta"),
        QJsonObject { { QStringLiteral("version"), QLatin1String(JsonApi::Version) } });
    return HttpResponse::json(body);
}

} // namespace

InterpretRoutes::InterpretRoutes(const WorksheetStore &worksheets, const BundleStore &bundles,
    const WorksheetInterpreter &interpreter, QString bundlesDir)
    : m_worksheets(worksheets)
    , m_bundles(bundles)
    , m_interpreter(interpreter)
    , m_bundlesDir(std::move(bundlesDir))
{ }

void InterpretRoutes::install(LocalHttpServer &http)
{
    using A = LocalHttpServer::Auth;
    http.addRoute("GET", QStringLiteral("/rest/interpret/worksheet/(0x[0-9a-f]{32})/?"), A::Required,
        [this](HttpRequest &r, const HttpResponder &s) { worksheet(r, s); });
    http.addRoute("POST", QStringLiteral("/rest/interpret/genpath-table-contents/?"), A::Required,
        [this](HttpRequest &r, const HttpResponder &s) { tableContents(r, s); });
    http.addRoute("POST", QStringLiteral("/rest/interpret/file-genpaths/?"), A::Required,
        [this](HttpRequest &r, const HttpResponder &s) { fileGenpaths(r, s); });
}

QJsonValue InterpretRoutes::readGenpath(
    const QString &bundleUuid, const QString &genpath, const QString &post) const
{
    if (!util::BundleUuid::isValid(bundleUuid) || !m_bundles.get(bundleUuid)) {
        return QJsonValue();
    }
    return Genpath::readFile(QDir(m_bundlesDir).filePath(bundleUuid), genpath, post);
}

void InterpretRoutes::worksheet(HttpRequest &request, const HttpResponder &responder)
{
    const auto ws = m_worksheets.byUuid(request.captures.value(0));
    if (!ws) {
        responder.send(HttpResponse::error(
            404, QStringLiteral("Could not find worksheet with uuid %1").arg(request.captures.value(0))));
        return;
    }
    responder.send(withVersion(m_interpreter.interpret(*ws, *request.user)));
}

void InterpretRoutes::tableContents(HttpRequest &request, const HttpResponder &responder)
{
    QString error;
    const auto body = JsonApi::objectBody(request, QStringLiteral("genpath-table-contents"), &error);
    if (!body) {
        responder.send(HttpResponse::error(400, error));
        return;
    }
    QJsonArray rows;
    for (const QJsonValue &row : body->value(QLatin1String("contents")).toArray()) {
        QJsonObject r = row.toObject();
        for (auto it = r.begin(); it != r.end(); ++it) {
            if (Genpath::isTriple(it.value())) {
                const QJsonArray t = it.value().toArray();
                it.value() = readGenpath(t.at(0).toString(), t.at(1).toString(), t.at(2).toString());
            }
        }
        rows.append(r);
    }
    responder.send(withVersion({ { QStringLiteral("contents"), rows } }));
}

void InterpretRoutes::fileGenpaths(HttpRequest &request, const HttpResponder &responder)
{
    QString error;
    const auto body = JsonApi::objectBody(request, QStringLiteral("file-genpaths"), &error);
    if (!body) {
        responder.send(HttpResponse::error(400, error));
        return;
    }
    QJsonArray values;
    for (const QJsonValue &q : body->value(QLatin1String("queries")).toArray()) {
        values.append(readGenpath(q[QLatin1String("bundle_uuid")].toString(),
            q[QLatin1String("genpath")].toString(), q[QLatin1String("post")].toString()));
    }
    responder.send(withVersion({ { QStringLiteral("data"), values } }));
}

} // namespace codalab::localserver
