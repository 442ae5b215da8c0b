// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/httprequest.h"
#include "localserver/httpresponse.h"

#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace codalab::localserver {

/// JSON:API helpers for the routes: request bodies are `{"data": [ ... ]}` (the Python client always uses
/// the bulk form, a single object is taken too), responses `{"data": ..., "meta": {"version": ...}}`.
class JsonApi
{
public:
    static constexpr auto Version = "1.7.3";

    /// The `data` items of a request body; nullopt and a 400 answer in *error when it is not JSON:API.
    static std::optional<QJsonArray> dataItems(const HttpRequest &request, HttpResponse *error);
    /// A body that must be one JSON object (the worker routes), or nullopt and *error saying what is wrong
    /// with it; `what` names the body in the message ("check-in").
    static std::optional<QJsonObject> objectBody(
        const HttpRequest &request, const QString &what, QString *error);
    static HttpResponse document(const QJsonValue &data, const QJsonArray &included = {});
    /// A document with only `meta` (a count, the ids deleted), as upstream's json_api_meta answers.
    static HttpResponse meta(const QJsonObject &meta);
};

} // namespace codalab::localserver
