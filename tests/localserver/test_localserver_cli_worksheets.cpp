// SPDX-License-Identifier: GPL-3.0-or-later
// The upstream `cl` CLI's worksheet commands as it sends them: cl new, wrm, wedit, add, wls, ls, print -r,
// print (the interpreted blocks), wadd and detach.
#include "localserver/clrequests.h"
#include "localserverfixture.h"
#include "util/tarbuilder.h"

using namespace codalab::test;
using namespace Qt::StringLiterals;

namespace {

const ClParams lsInclude { { u"include"_s,
    QStringList { u"owner"_s, u"group_permissions"_s, u"items"_s, u"items.bundle"_s, u"items.bundle.owner"_s,
        u"items.subworksheet"_s } } };

struct Cli
{
    LocalServerFixture f;
    std::unique_ptr<ClRequests> cl = ClRequests::login(QUrl(f.server->url()), u"codalab"_s, f.password);
    QString home = cl->home();

    /// `cl new NAME`: the uuid of data[0].
    QString newWorksheet(const QString &name)
    {
        return cl->create(u"worksheets"_s, { QJsonObject { { u"name"_s, name } } })
            .first()["uuid"_L1]
            .toString();
    }
    /// `cl add text T`: markup, or a directive when T starts with '%'.
    QJsonObject addText(const QString &ws, const QString &text)
    {
        QJsonObject item { { u"type"_s, u"markup"_s }, { u"value"_s, text } };
        if (text.startsWith(u'%')) {
            item = { { u"type"_s, u"directive"_s }, { u"value"_s, text.mid(1).trimmed() } };
        }
        item["worksheet"_L1] = ClRequests::relationship(u"worksheets"_s, ws);
        return cl->create(u"worksheet-items"_s, { item }, { { u"uuid"_s, ws } }).first().toObject();
    }
    void addBundle(const QString &ws, const QString &uuid)
    {
        cl->create(u"worksheet-items"_s,
            { QJsonObject { { u"type"_s, u"bundle"_s },
                { u"worksheet"_s, ClRequests::relationship(u"worksheets"_s, ws) },
                { u"bundle"_s, ClRequests::relationship(u"bundles"_s, uuid) } } },
            { { u"uuid"_s, ws } });
    }
    void addWorksheet(const QString &ws, const QString &sub)
    {
        cl->create(u"worksheet-items"_s,
            { QJsonObject { { u"type"_s, u"worksheet"_s },
                { u"worksheet"_s, ClRequests::relationship(u"worksheets"_s, ws) },
                { u"subworksheet"_s, ClRequests::relationship(u"worksheets"_s, sub) } } },
            { { u"uuid"_s, ws } });
    }
    HttpResult wedit(const QString &ws, const QJsonObject &attributes)
    {
        QJsonObject object = attributes;
        object["id"_L1] = ws;
        return cl->request("PATCH", u"/worksheets"_s, {}, ClRequests::pack({ object }, u"worksheets"_s));
    }
    HttpResult wrm(const QString &ws, bool force)
    {
        return cl->request("DELETE", u"/worksheets"_s, { { u"force"_s, force } },
            QJsonObject { { u"data"_s,
                QJsonArray { QJsonObject { { u"id"_s, ws }, { u"type"_s, u"worksheets"_s } } } } });
    }
    QJsonArray items(const QString &ws)
    {
        return cl
            ->fetch(u"worksheets"_s, ws,
                { { u"include"_s, QStringList { u"items"_s, u"items.bundle"_s } } })["items"_L1]
            .toArray();
    }
};

QStringList itemSummary(const QJsonArray &items)
{
    QStringList out;
    for (const QJsonValue &item : items) {
        const QString type = item["type"_L1].toString();
        out << type + u':'
                + (type == "bundle"_L1           ? item["bundle"_L1]["id"_L1].toString()
                        : type == "worksheet"_L1 ? item["subworksheet"_L1]["id"_L1].toString()
                                                 : item["value"_L1].toString());
    }
    return out;
}

} // namespace

TEST_CASE("cl new, cl wedit and cl wrm with upstream's rules and words", "[localserver][cli]")
{
    Cli t;
    const QString ws = t.newWorksheet(u"exp"_s);
    CHECK(ws.startsWith("0x"_L1));
    HttpResult r = t.cl->request("POST", u"/worksheets"_s, {},
        ClRequests::pack({ QJsonObject { { u"name"_s, u"exp"_s } } }, u"worksheets"_s));
    CHECK(r.status == 400);
    CHECK(r.body == "Worksheet with name exp already exists");
    r = t.cl->request("POST", u"/worksheets"_s, {},
        ClRequests::pack({ QJsonObject { { u"name"_s, u"naïve"_s } } }, u"worksheets"_s));
    CHECK(r.status == 400);
    CHECK(r.body.startsWith("Names must match"));

    // cl wedit -n -t -T: title in Unicode round-trips, tags are a list.
    REQUIRE(t.wedit(ws,
                 { { u"name"_s, u"exp2"_s }, { u"title"_s, u"Résultats 🔬 实验"_s },
                     { u"tags"_s, QJsonArray { u"nlp"_s, u"v2"_s } } })
                .status
        == 200);
    QJsonObject info = t.cl->fetch(u"worksheets"_s, ws, lsInclude).toObject();
    CHECK(info["name"_L1].toString() == "exp2"_L1);
    CHECK(info["title"_L1].toString() == u"Résultats 🔬 实验"_s);
    CHECK(info["tags"_L1].toArray() == QJsonArray { u"nlp"_s, u"v2"_s });
    r = t.wedit(ws, { { u"name"_s, u"exp2"_s } });
    CHECK(r.status == 400);
    CHECK(r.body == "Worksheet with name exp2 already exists");

    // --freeze: then edits are 403 (a second --freeze too), --unfreeze with an edit is allowed.
    REQUIRE(t.wedit(ws, { { u"frozen"_s, u"2024-05-01T12:00:00.123456"_s } }).status == 200);
    const QByteArray frozenText = "Cannot mutate frozen worksheet " + ws.toLatin1() + "(exp2).";
    for (const QJsonObject &change : { QJsonObject { { u"title"_s, u"t"_s } },
             QJsonObject { { u"frozen"_s, u"2024-05-02T12:00:00"_s } } }) {
        r = t.wedit(ws, change);
        CHECK(r.status == 403);
        CHECK(r.body == frozenText);
    }
    r = t.cl->request("POST", u"/worksheet-items"_s, { { u"uuid"_s, ws } },
        ClRequests::pack({ QJsonObject { { u"type"_s, u"markup"_s }, { u"value"_s, u"x"_s },
                             { u"worksheet"_s, ClRequests::relationship(u"worksheets"_s, ws) } } },
            u"worksheet-items"_s));
    CHECK(r.status == 403);
    CHECK(r.body == frozenText);
    r = t.wrm(ws, false);
    CHECK(r.status == 400);
    CHECK(
        r.body == "Can't delete worksheet " + ws.toLatin1() + " because it is frozen (--force to override).");
    REQUIRE(t.wedit(ws, { { u"frozen"_s, QJsonValue::Null }, { u"title"_s, u"thawed"_s } }).status == 200);

    t.addText(ws, u"some text"_s);
    r = t.wrm(ws, false);
    CHECK(r.status == 400);
    CHECK(r.body
        == "Can't delete worksheet " + ws.toLatin1() + " because it is not empty (--force to override).");
    CHECK(t.wrm(ws, true).status == 200);
    r = t.cl->request("GET", u"/worksheets/"_s + ws);
    CHECK(r.status == 404);
    CHECK(r.body == "Could not find worksheet with uuid " + ws.toLatin1());
    const QString empty = t.newWorksheet(u"empty"_s);
    CHECK(t.wrm(empty, false).status == 200);
}

TEST_CASE("cl add, cl ls and cl print -r: items with their relationships, owner, permissions, tags",
    "[localserver][cli]")
{
    Cli t;
    const QString sub = t.newWorksheet(u"sub"_s);
    const QString bundle
        = t.cl->upload(t.home, ClRequests::uploadMetadata(u"data"_s), u"d.txt"_s, "d\n", false);
    const QJsonObject added = t.addText(t.home, u"## Notes ✍️ ünïcode"_s);
    CHECK(added["id"_L1].isString()); // the (type, id) match needs string ids
    t.addText(t.home, u"% display table default"_s);
    t.addBundle(t.home, bundle);
    t.addWorksheet(t.home, sub);
    t.addWorksheet(t.home, t.home); // upstream's test adds a worksheet to itself: no unpacking loop

    const QJsonObject ws = t.cl->fetch(u"worksheets"_s, t.home, lsInclude).toObject();
    for (const char *key : { "uuid", "name", "title", "tags", "is_anonymous", "frozen", "owner",
             "group_permissions", "items" }) {
        INFO(key);
        CHECK(ws.contains(QLatin1String(key)));
    }
    CHECK(ws["tags"_L1].isArray());
    CHECK(ws["owner"_L1]["user_name"_L1].toString() == "codalab"_L1);
    const QJsonArray permissions = ws["group_permissions"_L1].toArray();
    REQUIRE(!permissions.isEmpty());
    CHECK(permissions[0]["group_name"_L1].toString() == "public"_L1);
    CHECK(permissions[0]["permission"_L1].toInt() == 1);
    CHECK(permissions[0]["group"_L1]["id"_L1].isString());

    const QJsonArray items = ws["items"_L1].toArray();
    // The upload put the bundle on the worksheet first; then the items in the order they were added.
    CHECK(itemSummary(items)
        == QStringList { u"bundle:"_s + bundle, u"markup:## Notes ✍️ ünïcode"_s,
            u"directive:display table default"_s, u"bundle:"_s + bundle, u"worksheet:"_s + sub,
            u"worksheet:"_s + t.home });
    for (const QJsonValue &item : items) {
        for (const char *key : { "type", "value", "bundle", "subworksheet" }) {
            INFO(key);
            CHECK(item.toObject().contains(QLatin1String(key)));
        }
    }
    CHECK(ClRequests::isEmptyRelationship(items[1]["bundle"_L1]));
    CHECK(ClRequests::isEmptyRelationship(items[1]["subworksheet"_L1]));
    // cl print -r renders a bundle item from the included bundle, and cl ls its owner.
    const QJsonValue b = items[3]["bundle"_L1];
    CHECK(b["bundle_type"_L1].toString() == "dataset"_L1);
    CHECK(b["metadata"_L1]["name"_L1].toString() == "data"_L1);
    CHECK(b["dependencies"_L1].isArray());
    CHECK(b["command"_L1].isNull());
    CHECK(b["state"_L1].toString() == "ready"_L1);
    CHECK(b["owner"_L1]["user_name"_L1].toString() == "codalab"_L1);
}

TEST_CASE("cl wls: own worksheets first, keywords, unknown keys refused", "[localserver][cli]")
{
    Cli t;
    QString error;
    const QString password = t.f.server->addUser(u"alice"_s, &error);
    auto alice = ClRequests::login(QUrl(t.f.server->url()), u"alice"_s, password);
    const QString mine = alice->create(u"worksheets"_s, { QJsonObject { { u"name"_s, u"alice-ws"_s } } })
                             .first()["uuid"_L1]
                             .toString();
    t.newWorksheet(u"root-ws"_s);
    const ClParams include { { u"include"_s, QStringList { u"owner"_s, u"group_permissions"_s } } };

    const QJsonArray all = alice->fetch(u"worksheets"_s, {}, include).toArray();
    REQUIRE(all.size() >= 3); // home-codalab, root-ws (public), alice-ws
    CHECK(all[0]["uuid"_L1].toString() == mine);
    for (const QJsonValue &ws : all) {
        CHECK(ws["name"_L1].isString());
        CHECK(ws["owner"_L1]["user_name"_L1].isString()); // owner as user_name(id)
        CHECK(ws["group_permissions"_L1].isArray());
    }
    ClParams mineOnly = include;
    mineOnly.append({ u"keywords"_s, QStringList { u".mine"_s } });
    const QJsonArray own = alice->fetch(u"worksheets"_s, {}, mineOnly).toArray();
    REQUIRE(own.size() == 1);
    CHECK(own[0]["uuid"_L1].toString() == mine);
    ClParams byName = include;
    byName.append({ u"keywords"_s, QStringList { u"name=root-ws"_s } });
    CHECK(alice->fetch(u"worksheets"_s, {}, byName).toArray().size() == 1);

    const HttpResult bad = alice->request("GET", u"/worksheets"_s, { { u"keywords"_s, u"x=1"_s } });
    CHECK(bad.status == 400);
    CHECK(bad.body == "Unknown key: x");
}

TEST_CASE("cl print: markup, tables with schemas and file columns, records, contents, subworksheets, errors",
    "[localserver][cli]")
{
    Cli t;
    const QByteArray tar = TarBuilder()
                               .dir("./")
                               .file("./results.tsv", "score\t0.93\nloss\t0.07\n")
                               .file("./log.txt", "one\ntwo\nthree\n")
                               .finish();
    const QString bundle
        = t.cl->upload(t.home, ClRequests::uploadMetadata(u"res"_s), u"res.tar.gz"_s, tar, true);
    const QString ws = t.newWorksheet(u"report"_s);
    const QString sub = t.newWorksheet(u"child"_s);
    for (const QString &line : { u"# Report 📈"_s, u"second line"_s, u"% schema s"_s, u"% add name"_s,
             u"% add score /results.tsv:score"_s, u"% display table s"_s }) {
        t.addText(ws, line);
    }
    t.addBundle(ws, bundle);
    t.addText(ws, u"% display record s"_s);
    t.addBundle(ws, bundle);
    t.addText(ws, u"% display contents /log.txt maxlines=2"_s);
    t.addBundle(ws, bundle);
    t.addWorksheet(ws, sub);
    t.addText(ws, u"% frobnicate"_s);
    t.addBundle(ws, bundle);

    const HttpResult r = t.cl->request("GET", u"/interpret/worksheet/"_s + ws);
    REQUIRE(r.status == 200);
    REQUIRE(r.header("Content-Type") == "application/json");
    const QJsonArray blocks = r.json["blocks"_L1].toArray();
    QStringList modes;
    for (const QJsonValue &block : blocks) {
        modes << block["mode"_L1].toString();
    }
    REQUIRE(modes
        == QStringList { u"markup_block"_s, u"schema_block"_s, u"table_block"_s, u"record_block"_s,
            u"contents_block"_s, u"subworksheets_block"_s, u"markup_block"_s, u"table_block"_s });
    CHECK(blocks[0]["text"_L1].toString() == u"# Report 📈\nsecond line"_s);

    // The CLI posts table and record rows to genpath-table-contents to read the file columns.
    const auto resolved = [&](const QJsonValue &rows) {
        const HttpResult answer = t.cl->request(
            "POST", u"/interpret/genpath-table-contents"_s, {}, QJsonObject { { u"contents"_s, rows } });
        REQUIRE(answer.status == 200);
        REQUIRE(answer.header("Content-Type") == "application/json");
        return answer.json["contents"_L1].toArray();
    };
    CHECK(blocks[2]["header"_L1].toArray() == QJsonArray { u"name"_s, u"score"_s });
    const QJsonArray table = resolved(blocks[2]["rows"_L1]);
    REQUIRE(table.size() == 1);
    CHECK(table[0]["name"_L1].toString() == "res"_L1);
    CHECK(table[0]["score"_L1].toVariant().toString() == "0.93"_L1);
    const QJsonArray record = resolved(blocks[3]["rows"_L1]);
    REQUIRE(record.size() == 2);
    CHECK(record[0]["key"_L1].toString() == "name:"_L1);
    CHECK(record[1]["key"_L1].toString() == "score:"_L1);
    CHECK(record[1]["value"_L1].toVariant().toString() == "0.93"_L1);

    const QJsonValue contents = blocks[4];
    CHECK(contents["bundles_spec"_L1]["bundle_infos"_L1][0]["uuid"_L1].toString() == bundle);
    CHECK(contents["max_lines"_L1].toInt() == 2);
    CHECK(contents["target_genpath"_L1].toString() == "log.txt"_L1);
    const QJsonArray subs = blocks[5]["subworksheet_infos"_L1].toArray();
    REQUIRE(subs.size() == 1);
    CHECK(subs[0]["uuid"_L1].toString() == sub);
    CHECK(subs[0]["name"_L1].toString() == "child"_L1);
    CHECK(blocks[6]["text"_L1].toString().startsWith("Error in source line 13"_L1));
    // Back to the default table after the error: upstream's literal header.
    CHECK(blocks[7]["header"_L1].toArray()
        == QJsonArray {
            u"uuid[0:8]"_s, u"name"_s, u"summary[0:1024]"_s, u"data_size"_s, u"state"_s, u"description"_s });
}

TEST_CASE(
    "cl wadd copies items with replace=0, then cl detach posts the rest with replace=1", "[localserver][cli]")
{
    Cli t;
    const QString b1 = t.cl->upload(t.home, ClRequests::uploadMetadata(u"one"_s), u"1.txt"_s, "1\n", false);
    const QString b2 = t.cl->upload(t.home, ClRequests::uploadMetadata(u"two"_s), u"2.txt"_s, "2\n", false);
    t.addText(t.home, u"between ✂"_s);
    const QString dest = t.newWorksheet(u"dest"_s);
    t.addText(dest, u"already here"_s);

    // cl wadd home dest: every fetched item re-posted with its worksheet replaced.
    QJsonArray copies;
    for (const QJsonValue &item : t.items(t.home)) {
        QJsonObject copy = item.toObject();
        copy["worksheet"_L1] = ClRequests::relationship(u"worksheets"_s, dest);
        copies.append(copy);
    }
    const QJsonArray posted
        = t.cl->create(u"worksheet-items"_s, copies, { { u"uuid"_s, dest }, { u"replace"_s, false } });
    CHECK(posted.size() == 3);
    CHECK(itemSummary(t.items(dest))
        == QStringList {
            u"markup:already here"_s, u"bundle:"_s + b1, u"bundle:"_s + b2, u"markup:between ✂"_s });

    // cl detach one: the items refetched, all but that bundle's posted back with replace=1.
    QJsonArray rest;
    for (const QJsonValue &item : t.items(dest)) {
        if (item["type"_L1].toString() != "bundle"_L1 || item["bundle"_L1]["id"_L1].toString() != b1) {
            rest.append(item);
        }
    }
    t.cl->create(u"worksheet-items"_s, rest, { { u"replace"_s, true }, { u"uuid"_s, dest } });
    CHECK(itemSummary(t.items(dest))
        == QStringList { u"markup:already here"_s, u"bundle:"_s + b2, u"markup:between ✂"_s });
    // An empty list clears the worksheet.
    t.cl->create(u"worksheet-items"_s, {}, { { u"replace"_s, true }, { u"uuid"_s, dest } });
    CHECK(t.items(dest).isEmpty());
    CHECK(t.wrm(dest, false).status == 200);
}
