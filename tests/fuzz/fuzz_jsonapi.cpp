// SPDX-License-Identifier: GPL-3.0-or-later
// JSON:API bundle documents, both ways they are read: the local server's request bodies
// (localserver::JsonApi::dataItems) and the client reading a bundle back into a run request
// (server::RunRequest::fromBundle, then validate(), toClCommand() and toCreateBody()). The round trip
// RunRequest::fromBundle promises is checked: the create body of a bundle's request, read back as a
// bundle, is the same request (the name made explicit, as toCreateBody() writes it).
#include "fuzzsupport.h"
#include "localserver/jsonapi.h"
#include "server/runrequest.h"

#include <QJsonArray>
#include <QJsonDocument>

using codalab::fuzz::check;
using codalab::localserver::HttpRequest;
using codalab::localserver::HttpResponse;
using codalab::localserver::JsonApi;
using codalab::server::RunRequest;

namespace {

void checkBundle(const QJsonObject &bundle)
{
    const RunRequest request = RunRequest::fromBundle(bundle);
    check(
        request.cpus >= 1 && request.gpus >= 0, "a bundle's request has at least 1 CPU and no negative GPUs");
    check(!request.priority || *request.priority != 0, "priority 0 comes back as none");
    const QStringList problems = request.validate();
    for (const QString &p : problems) {
        check(!p.isEmpty() && p.contains(QLatin1Char(':')), "each problem names its field", p);
    }
    const QString command = request.toClCommand();
    check(command.startsWith(QLatin1String("cl run ")), "toClCommand() is a cl run line", command);

    const QJsonObject body = request.toCreateBody();
    const QJsonArray data = body.value(QLatin1String("data")).toArray();
    check(data.size() == 1, "the create body holds one bundle");
    const RunRequest back = RunRequest::fromBundle(data.first().toObject());
    RunRequest expected = request;
    expected.name = request.effectiveName();
    check(back == expected, "fromBundle(toCreateBody()) is the same request",
        QString::fromUtf8(QJsonDocument(bundle).toJson(QJsonDocument::Compact)) + QLatin1String("\n-> ")
            + QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Compact)));
    check(back.validate() == problems, "the round trip keeps the same problems");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    HttpRequest request;
    request.method = "POST";
    request.headers.insert("content-type", "application/json");
    request.body = codalab::fuzz::bytes(data, size);
    HttpResponse error;
    const std::optional<QJsonArray> items = JsonApi::dataItems(request, &error);
    if (!items) {
        check(error.status == 400, "a body that is not JSON:API is a 400");
    } else {
        for (const QJsonValue &item : *items) {
            check(item.isObject(), "data items are objects");
            checkBundle(item.toObject());
        }
    }
    // The client side: GET /rest/bundles/<uuid> answers {"data": {...}}, a list {"data": [...]}.
    const QJsonDocument doc = QJsonDocument::fromJson(request.body);
    const QJsonValue value = doc.object().value(QLatin1String("data"));
    if (value.isObject()) {
        checkBundle(value.toObject());
    } else if (doc.isObject()) {
        checkBundle(doc.object()); // bare attributes
    }
    return 0;
}
