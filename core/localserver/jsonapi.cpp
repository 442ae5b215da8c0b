// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/jsonapi.h"

#include <QJsonDocument>

namespace codalab::localserver {

std::optional<QJsonArray> JsonApi::dataItems(const HttpRequest &request, HttpResponse *error)
{
    if (!request.header("content-type").startsWith("application/json")) {
        // Upstream fails such bodies with 500; a clear 400 is kinder and no client depends on the 500.
        *error = HttpResponse::error(
            400, QStringLiteral("The body must be JSON (Content-Type: application/json)"));
        return std::nullopt;
    }
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = HttpResponse::error(400,
            QStringLiteral("Invalid JSON: %1 at offset %2")
                .arg(parseError.errorString())
                .arg(parseError.offset));
        return std::nullopt;
    }
    const QJsonValue data = doc.object().value(QLatin1String("data"));
    if (data.isObject()) {
        return QJsonArray { data };
    }
    if (!data.isArray()) {
        *error = HttpResponse::error(400, QStringLiteral("Invalid JSON:API document: no \"data\" list"));
        return std::nullopt;
    }
    for (const QJsonValue &item : data.toArray()) {
        if (!item.isObject()) {
            *error = HttpResponse::error(
                400, QStringLiteral("Invalid JSON:API document: \"data\" items must be objects"));
            return std::nullopt;
        }
    }
    return data.toArray();
}

std::optional<QJsonObject> JsonApi::objectBody(
    const HttpRequest &request, const QString &what, QString *error)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("Invalid JSON in the %1 body: %2 at offset %3")
                     .arg(what, parseError.errorString())
                     .arg(parseError.offset);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("The %1 body must be a JSON object").arg(what);
        return std::nullopt;
    }
    return doc.object();
}

HttpResponse JsonApi::document(const QJsonValue &data, const QJsonArray &included)
{
    QJsonObject doc { { QStringLiteral("data"), data },
        { QStringLiteral("meta"), QJsonObject { { QStringLiteral("version"), QLatin1String(Version) } } } };
    if (!included.isEmpty()) {
        doc.insert(QStringLiteral("included"), included);
    }
    return HttpResponse::json(doc);
}

HttpResponse JsonApi::meta(const QJsonObject &meta)
{
    QJsonObject m = meta;
    m.insert(QStringLiteral("version"), QLatin1String(Version));
    // No "data": the Python client reads `meta` off a document only when it has no data list.
    return HttpResponse::json(QJsonObject { { QStringLiteral("meta"), m } });
}

} // namespace codalab::localserver
