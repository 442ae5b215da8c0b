// SPDX-License-Identifier: GPL-3.0-or-later
// Requests as the upstream `cl` CLI 1.7.3 sends them, and answers read as it reads them.
#pragma once

#include "support/httptestclient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QUrl>
#include <QVariant>

#include <memory>
#include <optional>

namespace codalab::test {

/// Query parameters in the CLI's order: each value a QString, a QStringList (the key repeated), a bool
/// (sent 1/0), an int, or a null QVariant (Python None, sent as the literal `None`). A QStringList under
/// `include` goes first, comma-joined, wherever it stands (JsonApiClient._pack_params pops it).
using ClParams = QList<QPair<QString, QVariant>>;

/// What a chunked `cl upload` PUT got back, and what the CLI asked on other connections meanwhile.
struct ClUploadResult
{
    int status = 0;
    QByteArray body;
    QJsonValue userDuringUpload; ///< GET /rest/user, answered while the PUT body was still open
    int incrementStatus = 0; ///< PATCH /rest/user/increment_disk_used, answered meanwhile
};

/// The HTTP side of upstream's JsonApiClient (codalab/client/json_api_client.py) and of the chunked upload
/// (codalab/worker/upload_util.py), for tests that must send exactly what `cl` sends, without Python.
///
/// Usage: auto cl = ClRequests::login(url, "codalab", password); QJsonValue ws = cl->fetch("worksheets",
/// {}, {{"base", QVariant()}, {"specs", ""}}); fetch/create/update/remove REQUIRE a 2xx JSON answer and
/// return it unpacked as _unpack_document does; request() returns the raw answer for the error cases.
///
/// Unpacked resources are flat objects: `id`, the attributes, `meta`, and each relationship as an object
/// holding the included resource's fields (or only `type`/`id`) — upstream's JsonApiRelationship — plus the
/// key `_linkage` ({type, id}, or null for an empty relationship) so that pack() sends it back as a
/// relationship, as the CLI does with what it fetched (mimic, wadd, detach).
class ClRequests
{
public:
    ClRequests(const QUrl &server, const QString &token);
    /// POST /rest/oauth2/token as CodaLabManager._authenticate does (REQUIREs success).
    static std::unique_ptr<ClRequests> login(
        const QUrl &server, const QString &user, const QString &password);

    const QUrl &server() const { return m_server; }
    const QString &token() const { return m_http.token(); }

    /// urllib.parse.urlencode(_pack_params(params)), without the '?'.
    static QByteArray packParams(const ClParams &params);
    /// _pack_document(objects, type): {"data": [...]}.
    static QJsonObject pack(const QJsonArray &objects, const QString &type);
    static QJsonObject packObject(const QJsonObject &object, const QString &type);
    /// _unpack_document(document); REQUIREs every resource to have an `id` and meta.version to be dotted
    /// integers. A list for a `data` list, else an object (with the document's `meta` attached).
    static QJsonValue unpack(const QJsonObject &document);
    /// A relationship value for pack(): JsonApiRelationship(type, id), or EmptyJsonApiRelationship().
    static QJsonObject relationship(const QString &type, const QString &id);
    static QJsonObject emptyRelationship();
    static bool isEmptyRelationship(const QJsonValue &value);

    /// One request to <server>/rest<path>, with X-Requested-With, the bearer token and, for a JSON body,
    /// `Content-Type: application/json; charset=utf-8`.
    HttpResult request(const QByteArray &method, const QString &path, const ClParams &params = {},
        const std::optional<QJsonObject> &body = {},
        const QList<QPair<QByteArray, QByteArray>> &headers = {});

    /// GET /<type>[/<id>]; the answer unpacked (REQUIREs 200 and Content-Type exactly application/json).
    QJsonValue fetch(const QString &type, const QString &id = {}, const ClParams &params = {});
    /// fetch() that REQUIREs exactly one resource, as fetch_one.
    QJsonObject fetchOne(const QString &type, const ClParams &params = {});
    /// POST /<type> with a bulk body; the unpacked list.
    QJsonArray create(const QString &type, const QJsonArray &objects, const ClParams &params = {});
    /// PATCH /<type> with a bulk body; the unpacked answer.
    QJsonValue update(const QString &type, const QJsonArray &objects, const ClParams &params = {});
    /// DELETE /<type> with {"data": [{"id", "type"}...]}; the unpacked answer.
    QJsonValue remove(const QString &type, const QStringList &ids, const ClParams &params = {});
    /// The answer of any request, REQUIREd to be a 2xx JSON document, unpacked.
    static QJsonValue unpackAnswer(const HttpResult &result);

    /// GET /bundles/<uuid>/contents/info/<quoted path>?depth=N (fetch_contents_info: plain JSON, not
    /// JSON:API); its `data`, REQUIREd to carry resolved_target with both keys.
    QJsonObject contentsInfo(const QString &uuid, const QString &path, int depth);
    /// `cl work URL::` — GET /worksheets?base=None&specs= → the home worksheet's uuid.
    QString home();
    /// `cl upload` of local data: POST /bundles?worksheet=W&wait_for_upload=1, POST .../locations/, then the
    /// chunked PUT. Returns the new bundle's uuid; *put gets the PUT's answer (REQUIREd 200 when null).
    QString upload(const QString &worksheet, const QJsonObject &metadata, const QString &filename,
        const QByteArray &data, bool unpack, ClUploadResult *put = nullptr);
    /// The chunked PUT alone, with an absolute-form request line, 16 KiB chunks, and (withQuotaCalls) the
    /// increment_disk_used PATCH and the GET /user sent on other connections after the first chunk.
    ClUploadResult putContents(
        const QString &uuid, const ClParams &params, const QByteArray &data, bool withQuotaCalls);
    /// What `cl upload` sends as metadata: every dataset key with the CLI's default, `overrides` on top.
    static QJsonObject uploadMetadata(const QString &name, const QJsonObject &overrides = {});
    /// `cl make`: POST /bundles?worksheet=W, bundle_type make, command null; the new bundle's `uuid`.
    QString make(const QString &worksheet, const QString &name, const QJsonArray &dependencies);
    /// One dependency as `cl make` and `cl run` send it.
    static QJsonObject dependency(
        const QString &childPath, const QString &parentUuid, const QString &parentPath);
    /// Polls GET /bundles/<uuid> as `cl wait` does until the state is final (REQUIREs it within 20 s).
    QJsonObject waitFinal(const QString &uuid);

private:
    QUrl m_server;
    HttpTestClient m_http;
};

/// The first line of `text`, for messages.
QString firstLine(const QByteArray &text);

} // namespace codalab::test
