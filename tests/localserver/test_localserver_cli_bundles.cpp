// SPDX-License-Identifier: GPL-3.0-or-later
// The upstream `cl` CLI's bundle commands as it sends them: cl info -v, rm, make, mimic, edit, wait, kill and
// write.
#include "localserver/clrequests.h"
#include "localserverfixture.h"
#include "support/codalabtestdata.h"
#include "util/tarbuilder.h"

#include <QDate>
#include <QDir>

using namespace codalab::test;
using namespace Qt::StringLiterals;

namespace {

struct Cli
{
    LocalServerFixture f;
    std::unique_ptr<ClRequests> cl = ClRequests::login(QUrl(f.server->url()), u"codalab"_s, f.password);
    QString home = cl->home();

    /// `cl upload somedir` of a directory with a.txt and sub/b.txt.
    QString uploadDir(const QString &name)
    {
        const QByteArray tar = TarBuilder()
                                   .dir("./")
                                   .file("./a.txt", "alpha\n")
                                   .dir("./sub/")
                                   .file("./sub/b.txt", "beta\n")
                                   .finish();
        return cl->upload(home, ClRequests::uploadMetadata(name), name + ".tar.gz"_L1, tar, true);
    }
    QString state(const QString &uuid) { return cl->fetch(u"bundles"_s, uuid)["state"_L1].toString(); }
    int status(const QString &uuid) { return cl->request("GET", u"/bundles/"_s + uuid).status; }
    /// DELETE /bundles as `cl rm` sends it.
    HttpResult rm(const QStringList &uuids, bool force, bool recursive, bool dataOnly, bool dryRun)
    {
        QJsonArray data;
        for (const QString &uuid : uuids) {
            data.append(QJsonObject { { u"id"_s, uuid }, { u"type"_s, u"bundles"_s } });
        }
        return cl->request("DELETE", u"/bundles"_s,
            { { u"force"_s, force }, { u"recursive"_s, recursive }, { u"data-only"_s, dataOnly },
                { u"dry-run"_s, dryRun } },
            QJsonObject { { u"data"_s, data } });
    }
    QStringList deletedIds(const HttpResult &r)
    {
        REQUIRE(!r.json.object().contains("data"_L1)); // the CLI reads ['meta'] of a dict
        QStringList ids;
        for (const QJsonValue &id : ClRequests::unpackAnswer(r)["meta"_L1]["ids"_L1].toArray()) {
            ids << id.toString();
        }
        ids.sort();
        return ids;
    }
};

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

TEST_CASE("cl info -v: owner, children, group permissions and host worksheets included, locations, "
          "is_root_user",
    "[localserver][cli]")
{
    Cli t;
    const QString parent = t.uploadDir(u"somedir"_s);
    const QString child = t.cl->make(t.home, u"copy"_s, { ClRequests::dependency({}, parent, {}) });
    t.cl->waitFinal(child);
    const QJsonValue infos = t.cl->fetch(u"bundles"_s, {},
        { { u"include"_s,
              QStringList { u"owner"_s, u"children"_s, u"group_permissions"_s, u"host_worksheets"_s } },
            { u"specs"_s, QStringList { u"somedir"_s, child } }, { u"worksheet"_s, t.home } });
    REQUIRE(infos.toArray().size() == 2);
    const QJsonObject info = infos[0].toObject();
    CHECK(info["uuid"_L1].toString() == parent);
    for (const char *key : { "bundle_type", "state", "state_details", "command", "frozen", "is_anonymous",
             "metadata", "dependencies", "args", "permission", "permission_spec" }) {
        INFO(key);
        CHECK(info.contains(QLatin1String(key)));
    }
    CHECK(info["owner"_L1]["user_name"_L1].toString() == "codalab"_L1);
    REQUIRE(info["children"_L1].toArray().size() == 1);
    CHECK(info["children"_L1][0]["uuid"_L1].toString() == child);
    CHECK(info["children"_L1][0]["metadata"_L1]["name"_L1].toString() == "copy"_L1);
    REQUIRE(info["host_worksheets"_L1].toArray().size() == 1);
    CHECK(info["host_worksheets"_L1][0]["uuid"_L1].toString() == t.home);
    CHECK(info["host_worksheets"_L1][0]["name"_L1].toString() == "home-codalab"_L1);
    for (const QJsonValue &permission : info["group_permissions"_L1].toArray()) {
        CHECK(permission["group_name"_L1].isString());
        CHECK(permission["permission"_L1].isDouble());
        CHECK(permission["group"_L1]["id"_L1].isString());
    }
    const QJsonObject childInfo = infos[1].toObject();
    REQUIRE(childInfo["dependencies"_L1].toArray().size() == 1);
    const QJsonValue dependency = childInfo["dependencies"_L1][0];
    CHECK(dependency["child_path"_L1].toString().isEmpty());
    CHECK(dependency["parent_uuid"_L1].toString() == parent);
    CHECK(dependency["parent_name"_L1].toString() == "somedir"_L1);
    CHECK(dependency["parent_path"_L1].toString().isEmpty());
    // print_basic_info: GET /user for is_root_user, GET .../locations/ for its data list.
    CHECK(t.cl->fetch(u"user"_s)["is_root_user"_L1].isBool());
    CHECK(t.cl->fetch(u"bundles/%1/locations/"_s.arg(parent)).toArray().isEmpty());
}

TEST_CASE("cl rm: refused while a dependent exists, -r, --force, -d and --dry-run as upstream",
    "[localserver][cli]")
{
    Cli t;
    const QString parent = t.uploadDir(u"p"_s);
    const QString child = t.cl->make(t.home, u"kid"_s, { ClRequests::dependency({}, parent, {}) });
    t.cl->waitFinal(child);

    HttpResult r = t.rm({ parent }, false, false, false, false);
    CHECK(r.status == 400);
    CHECK(r.body
        == "Can't delete bundles " + parent.toLatin1()
            + " because the following bundles depend on them:\n  kid(" + child.toLatin1() + ")");
    CHECK(t.state(parent) == "ready"_L1);

    // --dry-run -r: both named, nothing changed.
    r = t.rm({ parent }, false, true, false, true);
    CHECK(t.deletedIds(r) == sorted({ parent, child }));
    CHECK(t.state(parent) == "ready"_L1);
    CHECK(t.state(child) == "ready"_L1);
    CHECK(t.cl->contentsInfo(child, {}, 0)["type"_L1] == "directory"_L1);

    // -d: the bundle stays (its state too), without its contents.
    const QString lone = t.uploadDir(u"lone"_s);
    r = t.rm({ lone }, false, false, true, false);
    CHECK(t.deletedIds(r) == QStringList { lone });
    CHECK(t.state(lone) == "ready"_L1);
    CHECK(t.cl->fetch(u"bundles"_s, lone)["metadata"_L1]["data_size"_L1].toInteger() == 0);
    CHECK(
        t.cl->request("GET", u"/bundles/%1/contents/info/"_s.arg(lone), { { u"depth"_s, 0 } }).status == 404);

    // -r: the parent and everything downstream of it.
    r = t.rm({ parent }, false, true, false, false);
    CHECK(t.deletedIds(r) == sorted({ parent, child }));
    CHECK(t.status(parent) == 404);
    CHECK(t.status(child) == 404);
    CHECK(!QDir(QDir(t.f.dataDir.path()).filePath(u"bundles"_s)).exists(parent));

    // --force: only the named bundle; its child keeps a dangling dependency.
    const QString p2 = t.uploadDir(u"p2"_s);
    const QString c2 = t.cl->make(t.home, u"kid2"_s, { ClRequests::dependency({}, p2, {}) });
    t.cl->waitFinal(c2);
    r = t.rm({ p2 }, true, false, false, false);
    CHECK(t.deletedIds(r) == QStringList { p2 });
    CHECK(t.status(p2) == 404);
    CHECK(t.state(c2) == "ready"_L1);
}

TEST_CASE("cl make: one anonymous dependency copies the parent, keys make a directory, a missing path fails",
    "[localserver][cli]")
{
    Cli t;
    const QString parent = t.uploadDir(u"src"_s);
    const QString file
        = t.cl->upload(t.home, ClRequests::uploadMetadata(u"f"_s), u"f.txt"_s, "0123456789", false);

    const QString copy = t.cl->make(t.home, u"copy"_s, { ClRequests::dependency({}, parent, {}) });
    const QJsonObject made = t.cl->waitFinal(copy);
    CHECK(made["state"_L1].toString() == "ready"_L1);
    CHECK(made["bundle_type"_L1].toString() == "make"_L1);
    CHECK(made["command"_L1].isNull());
    CHECK(made["metadata"_L1]["data_size"_L1].toInteger() > 0);
    CHECK(t.cl->contentsInfo(copy, u"sub/b.txt"_s, 0)["size"_L1] == 5);
    // The copy's own files answer for it (upstream looks into the parent only for what the bundle lacks).
    CHECK(t.cl->contentsInfo(copy, {}, 0)["resolved_target"_L1]["bundle_uuid"_L1].toString() == copy);
    // `cl make src/sub`: the single target's subpath.
    const QString sub = t.cl->make(t.home, u"sub"_s, { ClRequests::dependency({}, parent, u"sub"_s) });
    t.cl->waitFinal(sub);
    CHECK(t.cl->contentsInfo(sub, u"b.txt"_s, 0)["type"_L1] == "file"_L1);

    // `cl make a:src/a.txt d:src n:f`: a directory with each key.
    const QString keyed = t.cl->make(t.home, u"keyed"_s,
        { ClRequests::dependency(u"a"_s, parent, u"a.txt"_s), ClRequests::dependency(u"d"_s, parent, {}),
            ClRequests::dependency(u"n"_s, file, {}) });
    CHECK(t.cl->waitFinal(keyed)["state"_L1].toString() == "ready"_L1);
    QStringList names;
    for (const QJsonValue &entry : t.cl->contentsInfo(keyed, {}, 1)["contents"_L1].toArray()) {
        names << entry["name"_L1].toString() + u':' + entry["type"_L1].toString();
    }
    CHECK(sorted(names) == QStringList { u"a:file"_s, u"d:directory"_s, u"n:file"_s });

    const QString broken
        = t.cl->make(t.home, u"broken"_s, { ClRequests::dependency({}, parent, u"nothere"_s) });
    const QJsonObject failed = t.cl->waitFinal(broken);
    CHECK(failed["state"_L1].toString() == "failed"_L1);
    CHECK(failed["metadata"_L1]["failure_message"_L1].toString().contains("nothere"_L1));
}

TEST_CASE("cl mimic: descendants by depth, a detached copy ignoring dump-only fields, host worksheets",
    "[localserver][cli]")
{
    Cli t;
    const QString oldIn = t.uploadDir(u"in1"_s);
    const QString newIn
        = t.cl->upload(t.home, ClRequests::uploadMetadata(u"in2"_s), u"x.txt"_s, "new\n", false);
    const QString oldOut = t.cl->make(t.home, u"out"_s, { ClRequests::dependency(u"data"_s, oldIn, {}) });
    t.cl->waitFinal(oldOut);

    // `cl mimic in1 in2`: the old input and its descendants.
    const QJsonArray family
        = t.cl->fetch(u"bundles"_s, {}, { { u"specs"_s, QStringList { oldIn } }, { u"depth"_s, 10 } })
              .toArray();
    QStringList uuids;
    for (const QJsonValue &b : family) {
        uuids << b["uuid"_L1].toString();
    }
    CHECK(sorted(uuids) == sorted({ oldIn, oldOut }));
    QJsonObject info = t.cl->fetch(u"bundles"_s, oldOut).toObject();
    // bundle_util.mimic_bundles: the whole info minus ids, state_details and generated metadata.
    info.remove("uuid"_L1);
    info.remove("id"_L1);
    REQUIRE(info.contains("state_details"_L1));
    info.remove("state_details"_L1);
    info.remove("meta"_L1);
    QJsonObject metadata = info["metadata"_L1].toObject();
    for (const char *generated : { "created", "data_size", "failure_message", "error_traceback" }) {
        metadata.remove(QLatin1String(generated));
    }
    metadata["name"_L1] = u"out2"_s;
    info["metadata"_L1] = metadata;
    QJsonObject dependency = info["dependencies"_L1][0].toObject();
    dependency["parent_uuid"_L1] = newIn;
    info["dependencies"_L1] = QJsonArray { dependency };
    REQUIRE(info["owner"_L1].toObject().contains("_linkage"_L1)); // sent back as a relationship
    const QJsonObject created
        = t.cl->create(u"bundles"_s, { info }, { { u"worksheet"_s, t.home }, { u"detached"_s, true } })
              .first()
              .toObject();
    const QString newOut = created["uuid"_L1].toString();
    CHECK(newOut != oldOut);
    const QJsonObject done = t.cl->waitFinal(newOut);
    CHECK(done["state"_L1].toString() == "ready"_L1); // not the `ready` it was sent, but made again
    CHECK(done["dependencies"_L1][0]["parent_uuid"_L1].toString() == newIn);
    CHECK(done["dependencies"_L1][0]["child_uuid"_L1].toString() == newOut);
    CHECK(t.cl->contentsInfo(newOut, u"data"_s, 0)["size"_L1] == 4);

    // Detached: on no worksheet until the CLI adds it next to the anchor's host worksheet.
    const QJsonArray hosts
        = t.cl->fetch(u"worksheets"_s, {}, { { u"keywords"_s, QString(u"bundle="_s + oldIn) } }).toArray();
    REQUIRE(hosts.size() == 1);
    CHECK(hosts[0]["id"_L1].toString() == t.home);
    CHECK(t.cl->fetch(u"worksheets"_s, {}, { { u"keywords"_s, QString(u"bundle="_s + newOut) } })
              .toArray()
              .isEmpty());
    t.cl->create(u"worksheet-items"_s,
        { QJsonObject { { u"type"_s, u"bundle"_s },
            { u"worksheet"_s, ClRequests::relationship(u"worksheets"_s, t.home) },
            { u"bundle"_s, ClRequests::relationship(u"bundles"_s, newOut) } } },
        { { u"uuid"_s, t.home } });
    CHECK(t.cl->fetch(u"worksheets"_s, {}, { { u"keywords"_s, QString(u"bundle="_s + newOut) } })
              .toArray()
              .size()
        == 1);
}

TEST_CASE("cl edit changes metadata and freezes by upstream's rules, cl kill and cl write act on runs",
    "[localserver][cli]")
{
    Cli t;
    const QString uuid = t.uploadDir(u"ed"_s);
    const auto edit = [&](const QJsonObject &attributes) {
        QJsonObject object = attributes;
        object["id"_L1] = uuid;
        object["bundle_type"_L1] = u"dataset"_s;
        return t.cl->request("PATCH", u"/bundles"_s, {}, ClRequests::pack({ object }, u"bundles"_s));
    };
    HttpResult r = edit({ { u"metadata"_s,
        QJsonObject { { u"name"_s, u"renamed"_s }, { u"description"_s, u"résumé 🧪"_s },
            { u"tags"_s, QJsonArray { u"a"_s, u"ü"_s } } } } });
    const QJsonValue saved = ClRequests::unpackAnswer(r);
    REQUIRE(saved.toArray().size() == 1); // update() takes [0]
    QJsonObject bundle = t.cl->fetch(u"bundles"_s, uuid).toObject();
    CHECK(bundle["metadata"_L1]["name"_L1].toString() == "renamed"_L1);
    CHECK(bundle["metadata"_L1]["description"_L1].toString() == u"résumé 🧪"_s);
    CHECK(bundle["metadata"_L1]["tags"_L1].toArray() == QJsonArray { u"a"_s, u"ü"_s });
    CHECK(bundle["metadata"_L1]["license"_L1].toString().isEmpty()); // merged, not replaced

    // Names keep upstream's pattern, whatever the description may hold.
    r = edit({ { u"metadata"_s, QJsonObject { { u"name"_s, u"🚀rocket"_s } } } });
    CHECK(r.status == 400);
    // (upstream words it "Invalid name '...'. Name must start with..."; ours, "Names must match <pattern>,
    // was
    // ...", is what the desktop client's tests expect)
    CHECK(r.body.contains(u"🚀rocket"_s.toUtf8()));
    r = edit({ { u"metadata"_s, QJsonObject { { u"nonsense"_s, u"x"_s } } } });
    CHECK(r.status == 400);
    CHECK(r.body == "Unexpected metadata key: nonsense");

    // --freeze, then any change is refused; --unfreeze is allowed.
    REQUIRE(edit({ { u"frozen"_s, u"2024-05-01T12:00:00.123456"_s } }).status == 200);
    CHECK(!t.cl->fetch(u"bundles"_s, uuid)["frozen"_L1].isNull());
    r = edit({ { u"metadata"_s, QJsonObject { { u"description"_s, u"x"_s } } } });
    CHECK(r.status == 403);
    CHECK(r.body == "Cannot mutate frozen bundle " + uuid.toLatin1() + "(renamed).");
    REQUIRE(edit({ { u"frozen"_s, QJsonValue::Null } }).status == 200);
    CHECK(t.cl->fetch(u"bundles"_s, uuid)["frozen"_L1].isNull());

    // cl kill / cl write: POST /bundle-actions; no worker has these runs, so a kill ends them at once.
    const auto run = [&](const QString &name) {
        return t.cl
            ->create(u"bundles"_s,
                { QJsonObject { { u"bundle_type"_s, u"run"_s }, { u"command"_s, u"sleep 100"_s },
                    { u"metadata"_s, runMetadata(name) }, { u"dependencies"_s, QJsonArray() } } },
                { { u"worksheet"_s, t.home } })
            .first()["uuid"_L1]
            .toString();
    };
    const QString r1 = run(u"r1"_s);
    const QString r2 = run(u"r2"_s);
    const HttpResult notFinal = t.cl->request("PATCH", u"/bundles"_s, {},
        ClRequests::pack({ QJsonObject { { u"id"_s, r1 }, { u"bundle_type"_s, u"run"_s },
                             { u"frozen"_s, u"2024-05-01T12:00:00"_s } } },
            u"bundles"_s));
    CHECK(notFinal.status == 403);
    CHECK(notFinal.body == "Cannot freeze bundle " + r1.toLatin1() + "(r1), bundle is not in a final state.");
    const QJsonArray killed = t.cl->create(u"bundle-actions"_s,
        { QJsonObject { { u"type"_s, u"kill"_s }, { u"uuid"_s, r1 } },
            QJsonObject { { u"type"_s, u"kill"_s }, { u"uuid"_s, r2 } } });
    CHECK(killed.size() == 2); // unpack REQUIREd an `id` key on each
    CHECK(t.cl->waitFinal(r1)["state"_L1].toString() == "killed"_L1);
    CHECK(t.state(r2) == "killed"_L1);
    const HttpResult late = t.cl->request("POST", u"/bundle-actions"_s, {},
        ClRequests::pack(
            { QJsonObject { { u"type"_s, u"kill"_s }, { u"uuid"_s, r1 } } }, u"bundle-actions"_s));
    CHECK(late.status == 400);
    CHECK(
        late.body.startsWith("Cannot execute this action on a bundle that is in the following states: ready, "
                             "failed, killed."));
    const HttpResult badPath = t.cl->request("POST", u"/bundle-actions"_s, {},
        ClRequests::pack({ QJsonObject { { u"type"_s, u"write"_s }, { u"uuid"_s, run(u"r3"_s) },
                             { u"subpath"_s, u"../x"_s }, { u"string"_s, u"hi"_s } } },
            u"bundle-actions"_s));
    CHECK(badPath.status == 400);
    CHECK(badPath.body.startsWith("Child path must match"));
}

TEST_CASE("cl search: .mine .floating name= state= uuid= .count .limit .offset .sort .after data_size=.sum",
    "[localserver][cli]")
{
    Cli t;
    QString error;
    auto alice
        = ClRequests::login(QUrl(t.f.server->url()), u"alice"_s, t.f.server->addUser(u"alice"_s, &error));
    QStringList made; // in creation order, sizes 1..12 bytes
    for (int i = 1; i <= 12; ++i) {
        made << t.cl->upload(t.home,
            ClRequests::uploadMetadata(
                i % 2 ? u"odd"_s : u"even"_s, QJsonObject { { u"description"_s, u"two words"_s } }),
            u"f.txt"_s, QByteArray(i, 'x'), false);
    }
    const QString floating = t.cl->create(u"bundles"_s,
                                     { QJsonObject { { u"bundle_type"_s, u"dataset"_s },
                                         { u"metadata"_s, ClRequests::uploadMetadata(u"loose"_s) } } },
                                     { { u"worksheet"_s, t.home }, { u"detached"_s, true } })
                                 .first()["uuid"_L1]
                                 .toString();
    const QString aliceOwn
        = alice->upload(alice->home(), ClRequests::uploadMetadata(u"hers"_s), u"h"_s, "h", false);

    // GET /bundles?worksheet=<cur>&keywords=...&include=owner, as cl search sends it.
    const auto search = [&](ClRequests &cl, const QStringList &keywords) {
        return cl.fetch(u"bundles"_s, {},
            { { u"worksheet"_s, t.home }, { u"keywords"_s, keywords },
                { u"include"_s, QStringList { u"owner"_s } } });
    };
    const auto uuids = [&](const QStringList &keywords) {
        QStringList out;
        for (const QJsonValue &b : search(*t.cl, keywords).toArray()) {
            out << b["uuid"_L1].toString();
        }
        return out;
    };
    const QJsonArray page = search(*t.cl, { u"name=odd"_s, u"id=.sort"_s }).toArray();
    REQUIRE(page.size() == 6);
    CHECK(page[0]["owner"_L1]["user_name"_L1].toString() == "codalab"_L1); // the included owner
    CHECK(uuids({ u"name=odd"_s, u"id=.sort"_s, u".limit=2"_s, u".offset=1"_s })
        == QStringList { made[2], made[4] });
    CHECK(uuids({ u"name=even"_s, u"id=.sort-"_s }).first() == made[11]);
    CHECK(uuids({ u"size=.sort-"_s, u".limit=3"_s }) == QStringList { made[11], made[10], made[9] });
    CHECK(search(*t.cl, { u"id=.sort"_s }).toArray().size() == 10); // the default limit
    CHECK(uuids({ u".floating"_s }) == QStringList { floating });
    CHECK(uuids({ u"state=uploading"_s }) == QStringList { floating });
    CHECK(uuids({ u"uuid="_s + made[3] }) == QStringList { made[3] });
    CHECK(uuids({ u"uuid="_s + made[3].left(8) }).isEmpty()); // exact, as upstream
    CHECK(uuids({ u"uuid="_s + made[3].left(10) + u".*"_s }) == QStringList { made[3] });
    CHECK(uuids({ u"uuid="_s + made[3].left(10) + u'%' }) == QStringList { made[3] });
    CHECK(uuids({ u"id="_s + made[3] }).isEmpty()); // id is the row number, not the uuid
    CHECK(uuids({ u"description=two words"_s, u"name=odd"_s, u".limit=20"_s }).size()
        == 6); // sent as two+words

    // Aggregates: meta.result and no data (the CLI tests 'meta' in the unpacked dict).
    const HttpResult count = t.cl->request("GET", u"/bundles"_s,
        { { u"worksheet"_s, t.home }, { u"keywords"_s, QStringList { u"name=odd"_s, u".count"_s } },
            { u"include"_s, QStringList { u"owner"_s } } });
    CHECK(!count.json.object().contains("data"_L1));
    CHECK(ClRequests::unpackAnswer(count)["meta"_L1]["result"_L1].toInt() == 6);
    CHECK(search(*t.cl, { u"name=even"_s, u"data_size=.sum"_s })["meta"_L1]["result"_L1].toDouble()
        == 2 + 4 + 6 + 8 + 10 + 12);

    // .mine is the caller's own; .after/.before compare metadata.created with ISO dates.
    QStringList hers;
    for (const QJsonValue &b : search(*alice, { u".mine"_s }).toArray()) {
        hers << b["uuid"_L1].toString();
    }
    CHECK(hers == QStringList { aliceOwn });
    const QString tomorrow = QDate::currentDate().addDays(1).toString(Qt::ISODate);
    CHECK(search(*t.cl, { u".after="_s + tomorrow, u".count"_s })["meta"_L1]["result"_L1].toInt() == 0);
    CHECK(search(*t.cl, { u".before="_s + tomorrow, u".count"_s })["meta"_L1]["result"_L1].toInt() == 14);
    CHECK(
        search(*t.cl, { u".after=2020-01-01T00:00:00"_s, u"name=odd"_s, u".count"_s })["meta"_L1]["result"_L1]
            .toInt()
        == 6);
    const HttpResult badDate = t.cl->request("GET", u"/bundles"_s, { { u"keywords"_s, u".after=soon"_s } });
    CHECK(badDate.status == 400);
    CHECK(badDate.body
        == "Unable to parse datetime. Datetime must be specified as an ISO-8601 datetime string such as "
           "YYYY-MM-DD.");
}
