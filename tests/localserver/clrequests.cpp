// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/clrequests.h"

#include "localserver/rawhttp.h"
#include "support/spinuntil.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrlQuery>

#include <catch2/catch.hpp>

using namespace Qt::StringLiterals;

namespace codalab::test {

namespace {

/// urllib.parse.quote_plus: only [A-Za-z0-9_.-~] left as they are, a space as '+'.
QByteArray quotePlus(const QString &text)
{
    return QUrl::toPercentEncoding(text, " ").replace(' ', '+');
}

QByteArray paramValue(const QVariant &value)
{
    if (value.isNull()) {
        return "None"; // str(None): upstream sends it, and the server must read it as "no value"
    }
    if (value.typeId() == QMetaType::Bool) {
        return value.toBool() ? "1" : "0";
    }
    return quotePlus(value.toString());
}

void unpackInto(
    QJsonObject &out, const QJsonObject &resource, const QHash<QString, QJsonObject> &included, int depth);

QJsonObject unpackLinkage(const QJsonValue &linkage, const QHash<QString, QJsonObject> &included, int depth)
{
    if (linkage.isNull()) {
        return ClRequests::emptyRelationship();
    }
    const QJsonObject link = linkage.toObject();
    REQUIRE(link.contains("type"_L1));
    REQUIRE(link.contains("id"_L1));
    // Matched on the exact (type, id) pair: a number id would not find a string one.
    const QString key = link["type"_L1].toString() + u'\n' + link["id"_L1].toString();
    QJsonObject out;
    if (included.contains(key) && link["id"_L1].isString()) {
        unpackInto(out, included[key], included, depth + 1);
    }
    if (!out.contains("type"_L1)) {
        out["type"_L1] = link["type"_L1];
    }
    if (!out.contains("id"_L1)) {
        out["id"_L1] = link["id"_L1];
    }
    out["_linkage"_L1] = link;
    return out;
}

void unpackInto(
    QJsonObject &out, const QJsonObject &resource, const QHash<QString, QJsonObject> &included, int depth)
{
    // The CLI follows included relationships with no cycle check: a loop is a RecursionError there.
    REQUIRE(depth < 20);
    INFO("resource: " << QJsonDocument(resource).toJson(QJsonDocument::Compact).toStdString());
    REQUIRE(resource.contains("id"_L1)); // obj_data['id']: a KeyError is "Invalid ... document format"
    out["id"_L1] = resource["id"_L1];
    const QJsonObject attributes = resource["attributes"_L1].toObject();
    for (auto it = attributes.begin(); it != attributes.end(); ++it) {
        out[it.key()] = it.value();
    }
    if (resource.contains("meta"_L1)) {
        out["meta"_L1] = resource["meta"_L1];
    }
    const QJsonObject relationships = resource["relationships"_L1].toObject();
    for (auto it = relationships.begin(); it != relationships.end(); ++it) {
        const QJsonObject relationship = it.value().toObject();
        INFO("relationship " << it.key().toStdString());
        REQUIRE(relationship.contains("data"_L1)); // relationship['data']
        const QJsonValue linkage = relationship["data"_L1];
        if (linkage.isArray()) {
            QJsonArray many;
            for (const QJsonValue &one : linkage.toArray()) {
                many.append(unpackLinkage(one, included, depth));
            }
            out[it.key()] = many;
        } else {
            out[it.key()] = unpackLinkage(linkage, included, depth);
        }
    }
}

} // namespace

QString firstLine(const QByteArray &text)
{
    return QString::fromUtf8(text).section(u'\n', 0, 0);
}

ClRequests::ClRequests(const QUrl &server, const QString &token)
    : m_server(server)
    , m_http(server)
{
    m_http.setToken(token);
}

std::unique_ptr<ClRequests> ClRequests::login(
    const QUrl &server, const QString &user, const QString &password)
{
    HttpTestClient http(server);
    const HttpResult r = http.passwordGrant(u"codalab_cli_client"_s, user, password);
    INFO(r.body.toStdString());
    REQUIRE(r.status == 200);
    const QJsonObject token = r.json.object();
    // The CLI float()s expires_in and keeps refresh_token for later.
    REQUIRE(token["expires_in"_L1].isDouble());
    REQUIRE(token["refresh_token"_L1].isString());
    return std::make_unique<ClRequests>(server, token["access_token"_L1].toString());
}

QByteArray ClRequests::packParams(const ClParams &params)
{
    QList<QByteArray> items;
    for (const auto &[key, value] : params) {
        if (key == "include"_L1) {
            items.prepend("include=" + quotePlus(value.toStringList().join(u',')));
        }
    }
    for (const auto &[key, value] : params) {
        if (key == "include"_L1) {
            continue;
        }
        if (value.typeId() == QMetaType::QStringList) {
            for (const QString &item : value.toStringList()) {
                items.append(quotePlus(key) + '=' + quotePlus(item));
            }
        } else {
            items.append(quotePlus(key) + '=' + paramValue(value));
        }
    }
    return items.join('&');
}

QJsonObject ClRequests::packObject(const QJsonObject &object, const QString &type)
{
    QJsonObject packed { { u"type"_s, type } };
    QJsonObject attributes;
    QJsonObject relationships;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QJsonObject value = it.value().toObject();
        if (it.value().isObject() && value.contains("_linkage"_L1)) {
            relationships[it.key()] = QJsonObject { { u"data"_s, value["_linkage"_L1] } };
        } else if (it.key() == "id"_L1) {
            packed[u"id"_s] = it.value();
        } else {
            attributes[it.key()] = it.value();
        }
    }
    if (!attributes.isEmpty()) {
        packed[u"attributes"_s] = attributes;
    }
    if (!relationships.isEmpty()) {
        packed[u"relationships"_s] = relationships;
    }
    return packed;
}

QJsonObject ClRequests::pack(const QJsonArray &objects, const QString &type)
{
    QJsonArray data;
    for (const QJsonValue &object : objects) {
        data.append(packObject(object.toObject(), type));
    }
    return QJsonObject { { u"data"_s, data } };
}

QJsonValue ClRequests::unpack(const QJsonObject &document)
{
    QHash<QString, QJsonObject> included;
    for (const QJsonValue &resource : document["included"_L1].toArray()) {
        const QJsonObject object = resource.toObject();
        included.insert(object["type"_L1].toString() + u'\n' + object["id"_L1].toString(), object);
    }
    QJsonValue result;
    const QJsonValue data = document["data"_L1];
    if (data.isArray()) {
        QJsonArray list;
        for (const QJsonValue &resource : data.toArray()) {
            QJsonObject out;
            unpackInto(out, resource.toObject(), included, 0);
            list.append(out);
        }
        result = list;
    } else {
        QJsonObject out;
        if (data.isObject()) {
            unpackInto(out, data.toObject(), included, 0);
        }
        result = out;
    }
    if (document.contains("meta"_L1)) {
        const QJsonObject meta = document["meta"_L1].toObject();
        if (meta.contains("version"_L1)) {
            // check_version: list(map(int, version.split('.')))
            static const QRegularExpression dotted(u"^\\d+(\\.\\d+)*$"_s);
            CHECK(dotted.match(meta["version"_L1].toString()).hasMatch());
        }
        if (result.isObject()) {
            QJsonObject object = result.toObject();
            object["meta"_L1] = meta;
            result = object;
        }
    }
    return result;
}

QJsonObject ClRequests::relationship(const QString &type, const QString &id)
{
    const QJsonObject linkage { { u"type"_s, type }, { u"id"_s, id } };
    return QJsonObject { { u"type"_s, type }, { u"id"_s, id }, { u"_linkage"_s, linkage } };
}

QJsonObject ClRequests::emptyRelationship()
{
    return QJsonObject { { u"type"_s, QJsonValue::Null }, { u"id"_s, QJsonValue::Null },
        { u"_linkage"_s, QJsonValue::Null } };
}

bool ClRequests::isEmptyRelationship(const QJsonValue &value)
{
    return value.isObject() && value.toObject().contains("_linkage"_L1)
        && value.toObject()["_linkage"_L1].isNull();
}

HttpResult ClRequests::request(const QByteArray &method, const QString &path, const ClParams &params,
    const std::optional<QJsonObject> &body, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QString url = m_server.toString() + "/rest"_L1 + path;
    if (!params.isEmpty()) {
        url += u'?' + QString::fromLatin1(packParams(params));
    }
    if (body) {
        return m_http.send(method, url, QJsonDocument(*body).toJson(QJsonDocument::Compact),
            "application/json; charset=utf-8", headers);
    }
    return m_http.send(method, url, {}, {}, headers);
}

QJsonValue ClRequests::unpackAnswer(const HttpResult &result)
{
    INFO(result.status << ' ' << result.body.left(2000).toStdString());
    REQUIRE(result.status >= 200);
    REQUIRE(result.status < 300);
    // _make_request parses the body only when the Content-Type is exactly this.
    REQUIRE(result.header("Content-Type") == "application/json");
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(result.body, &error);
    REQUIRE(error.error == QJsonParseError::NoError);
    REQUIRE(document.isObject());
    return unpack(document.object());
}

QJsonValue ClRequests::fetch(const QString &type, const QString &id, const ClParams &params)
{
    const QString path = u'/' + type + (id.isEmpty() ? QString() : u'/' + id);
    return unpackAnswer(request("GET", path, params));
}

QJsonObject ClRequests::fetchOne(const QString &type, const ClParams &params)
{
    const QJsonValue result = fetch(type, {}, params);
    if (result.isArray()) {
        INFO("Got " << result.toArray().size() << ' ' << type.toStdString() << " when expecting exactly 1.");
        REQUIRE(result.toArray().size() == 1);
        return result.toArray().first().toObject();
    }
    return result.toObject();
}

QJsonArray ClRequests::create(const QString &type, const QJsonArray &objects, const ClParams &params)
{
    const QJsonValue result = unpackAnswer(request("POST", u'/' + type, params, pack(objects, type)));
    REQUIRE(result.isArray());
    REQUIRE(result.toArray().size() >= objects.size()); // create() of one object takes result[0]
    return result.toArray();
}

QJsonValue ClRequests::update(const QString &type, const QJsonArray &objects, const ClParams &params)
{
    return unpackAnswer(request("PATCH", u'/' + type, params, pack(objects, type)));
}

QJsonValue ClRequests::remove(const QString &type, const QStringList &ids, const ClParams &params)
{
    QJsonArray data;
    for (const QString &id : ids) {
        data.append(QJsonObject { { u"id"_s, id }, { u"type"_s, type } });
    }
    return unpackAnswer(request("DELETE", u'/' + type, params, QJsonObject { { u"data"_s, data } }));
}

QJsonObject ClRequests::contentsInfo(const QString &uuid, const QString &path, int depth)
{
    // urllib.parse.quote(subpath): '/' kept.
    const QString quoted = QString::fromLatin1(QUrl::toPercentEncoding(path, "/"));
    const HttpResult r
        = request("GET", u"/bundles/%1/contents/info/%2"_s.arg(uuid, quoted), { { u"depth"_s, depth } });
    INFO(r.status << ' ' << r.body.left(500).toStdString());
    REQUIRE(r.status == 200);
    REQUIRE(r.header("Content-Type") == "application/json");
    const QJsonObject info = r.json["data"_L1].toObject();
    // BundleTarget.from_dict(info['resolved_target'])
    REQUIRE(info["resolved_target"_L1]["bundle_uuid"_L1].isString());
    REQUIRE(info["resolved_target"_L1]["subpath"_L1].isString());
    return info;
}

QString ClRequests::home()
{
    const QJsonObject home = fetchOne(u"worksheets"_s, { { u"base"_s, QVariant() }, { u"specs"_s, u""_s } });
    REQUIRE(home["uuid"_L1].toString().startsWith("0x"_L1));
    return home["uuid"_L1].toString();
}

QJsonObject ClRequests::uploadMetadata(const QString &name, const QJsonObject &overrides)
{
    QJsonObject metadata { { u"name"_s, name }, { u"description"_s, u""_s }, { u"tags"_s, QJsonArray() },
        { u"license"_s, u""_s }, { u"source_url"_s, u""_s }, { u"link_url"_s, u""_s },
        { u"link_format"_s, u""_s }, { u"store"_s, u""_s } };
    for (auto it = overrides.begin(); it != overrides.end(); ++it) {
        metadata[it.key()] = it.value();
    }
    return metadata;
}

QString ClRequests::upload(const QString &worksheet, const QJsonObject &metadata, const QString &filename,
    const QByteArray &data, bool unpack, ClUploadResult *put)
{
    const QJsonObject info { { u"bundle_type"_s, u"dataset"_s }, { u"metadata"_s, metadata } };
    const QJsonObject bundle
        = create(u"bundles"_s, { info }, { { u"worksheet"_s, worksheet }, { u"wait_for_upload"_s, true } })
              .first()
              .toObject();
    const QString uuid = bundle["id"_L1].toString();
    CHECK(bundle["state"_L1].toString() == "uploading"_L1);

    // upload_manager: is_dir iff unpacked and a directory archive; the CLI reads the raw answer.
    static const QRegularExpression dirArchive(u"\\.(tar\\.gz|tgz|tar\\.bz2|zip)$"_s);
    const bool isDir = unpack && dirArchive.match(filename).hasMatch();
    const QJsonObject location { { u"bundle_uuid"_s, uuid }, { u"bundle_store_uuid"_s, QJsonValue::Null } };
    const HttpResult located = request("POST", u"/bundles/%1/locations/"_s.arg(uuid),
        { { u"need_bypass"_s, true }, { u"is_dir"_s, isDir } }, pack({ location }, u"bundle_locations"_s));
    INFO(located.body.toStdString());
    REQUIRE(located.status == 200);
    REQUIRE(located.header("Content-Type") == "application/json");
    const QJsonValue attributes = located.json["data"_L1][0]["attributes"_L1];
    REQUIRE(attributes.isObject());
    CHECK(attributes["bundle_conn_str"_L1].isNull()); // null: upload through the server

    const ClUploadResult result = putContents(uuid,
        { { u"filename"_s, filename }, { u"unpack"_s, unpack }, { u"state_on_success"_s, u"ready"_s },
            { u"finalize_on_success"_s, true }, { u"use_azure_blob_beta"_s, false }, { u"store"_s, u""_s },
            { u"finalize_on_failure"_s, true } },
        data, true);
    if (put) {
        *put = result;
    } else {
        INFO(result.body.toStdString());
        REQUIRE(result.status == 200);
    }
    return uuid;
}

ClUploadResult ClRequests::putContents(
    const QString &uuid, const ClParams &params, const QByteArray &data, bool withQuotaCalls)
{
    // upload_util.upload_with_chunked_encoding: http.client with the full URL as the request target, Host and
    // Accept-Encoding from putrequest, no Content-Type, no Content-Length.
    const QByteArray target
        = m_server.toEncoded() + "/rest/bundles/" + uuid.toLatin1() + "/contents/blob/?" + packParams(params);
    RawHttp put(m_server);
    put.send("PUT " + target + " HTTP/1.1\r\nHost: " + m_server.authority().toLatin1()
        + "\r\nAccept-Encoding: identity\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer "
        + token().toLatin1() + "\r\nX-Requested-With: XMLHttpRequest\r\n\r\n");
    ClUploadResult result;
    constexpr qsizetype Chunk = 16 * 1024;
    for (qsizetype offset = 0; offset < data.size(); offset += Chunk) {
        const QByteArray chunk = data.mid(offset, Chunk);
        put.send(QByteArray::number(chunk.size(), 16).toUpper() + "\r\n" + chunk + "\r\n");
        if (withQuotaCalls && offset == 0) {
            // Every 2000th chunk, from the first: on other connections, with this body still open.
            const QJsonObject increment { { u"disk_used_increment"_s, chunk.size() },
                { u"bundle_uuid"_s, uuid } };
            const HttpResult incremented = request("PATCH", u"/user/increment_disk_used"_s, {},
                pack({ increment }, u"user/increment_disk_used"_s));
            result.incrementStatus = incremented.status;
            if (incremented.status == 200) {
                unpackAnswer(incremented);
            }
            result.userDuringUpload = fetch(u"user"_s);
            REQUIRE(!put.closed());
        }
    }
    put.send("0\r\n\r\n");
    REQUIRE(put.waitAnswer(30000));
    result.status = put.status();
    result.body = put.body();
    return result;
}

QString ClRequests::make(const QString &worksheet, const QString &name, const QJsonArray &dependencies)
{
    const QJsonObject metadata { { u"name"_s, name }, { u"description"_s, u""_s },
        { u"tags"_s, QJsonArray() }, { u"allow_failed_dependencies"_s, false }, { u"store"_s, u""_s } };
    const QJsonObject info { { u"bundle_type"_s, u"make"_s }, { u"command"_s, QJsonValue::Null },
        { u"metadata"_s, metadata }, { u"dependencies"_s, dependencies } };
    const QJsonObject made
        = create(u"bundles"_s, { info }, { { u"worksheet"_s, worksheet } }).first().toObject();
    REQUIRE(made["uuid"_L1].toString() == made["id"_L1].toString());
    return made["uuid"_L1].toString();
}

QJsonObject ClRequests::dependency(
    const QString &childPath, const QString &parentUuid, const QString &parentPath)
{
    return QJsonObject { { u"child_path"_s, childPath }, { u"parent_uuid"_s, parentUuid },
        { u"parent_path"_s, parentPath } };
}

QJsonObject ClRequests::waitFinal(const QString &uuid)
{
    QJsonObject bundle;
    const bool final = spinUntil(
        [&] {
            bundle = fetch(u"bundles"_s, uuid).toObject();
            const QString state = bundle["state"_L1].toString();
            return state == "ready"_L1 || state == "failed"_L1 || state == "killed"_L1;
        },
        20000, 20);
    INFO(QJsonDocument(bundle).toJson().toStdString());
    REQUIRE(final);
    return bundle;
}

} // namespace codalab::test
