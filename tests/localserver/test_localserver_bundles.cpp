// SPDX-License-Identifier: GPL-3.0-or-later
// codalab-local-server: worksheets and bundles, over real HTTP on 127.0.0.1.
#include "localserver/bundlestore.h"
#include "localserverfixture.h"
#include "support/codalabtestdata.h"

#include <QJsonArray>

using namespace codalab::test;

namespace {

QJsonObject createOne(HttpTestClient &c, const QString &worksheet, const QJsonObject &body)
{
    const HttpResult r = c.post(QStringLiteral("/rest/bundles?worksheet=") + worksheet, body);
    INFO(r.body.toStdString());
    REQUIRE(r.status == 200);
    return r.json.object()[QLatin1String("data")].toArray().first().toObject();
}

QJsonObject attributesOf(const QJsonObject &resource)
{
    return resource[QLatin1String("attributes")].toObject();
}

int countBundles(HttpTestClient &c)
{
    return c.get(QStringLiteral("/rest/bundles?keywords=.count"))
        .json.object()[QLatin1String("meta")]
        .toObject()[QLatin1String("result")]
        .toInt();
}

} // namespace

TEST_CASE("the home worksheet is made once, named worksheets are created and listed with their bundles",
    "[localserver][worksheets]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString home = homeWorksheet(*c);
    CHECK(home.startsWith(QLatin1String("0x")));
    CHECK(homeWorksheet(*c) == home);
    HttpResult r = c->get(QStringLiteral("/rest/worksheets?specs=/"));
    CHECK(r.json.object()[QLatin1String("data")]
              .toArray()
              .first()
              .toObject()[QLatin1String("attributes")]
              .toObject()[QLatin1String("name")]
              .toString()
        == QLatin1String("home-codalab"));

    r = c->post(QStringLiteral("/rest/worksheets"),
        QJsonObject { { QStringLiteral("data"),
            QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("worksheets") },
                { QStringLiteral("attributes"),
                    QJsonObject { { QStringLiteral("name"), QStringLiteral("experiments") } } } } } } });
    REQUIRE(r.status == 200);
    const QString named = firstId(r);
    CHECK(c->get(QStringLiteral("/rest/worksheets?specs=experiments"))
              .json.object()[QLatin1String("data")]
              .toArray()
              .first()
              .toObject()[QLatin1String("id")]
              .toString()
        == named);
    CHECK(c->get(QStringLiteral("/rest/worksheets?specs=nope")).status == 404);

    const QJsonObject run = createOne(*c, named,
        bundleBody(
            QStringLiteral("run"), QStringLiteral("echo hi"), runMetadata(QStringLiteral("run-echo"))));
    r = c->get(QStringLiteral("/rest/worksheets/") + named + QStringLiteral("?include=items,items.bundle"));
    REQUIRE(r.status == 200);
    const QJsonArray items = r.json.object()[QLatin1String("data")]
                                 .toObject()[QLatin1String("relationships")]
                                 .toObject()[QLatin1String("items")]
                                 .toObject()[QLatin1String("data")]
                                 .toArray();
    REQUIRE(items.size() == 1);
    bool bundleIncluded = false;
    for (const QJsonValue &v : r.json.object()[QLatin1String("included")].toArray()) {
        bundleIncluded = bundleIncluded
            || (v.toObject()[QLatin1String("type")] == QLatin1String("bundles")
                && v.toObject()[QLatin1String("id")] == run[QLatin1String("id")]);
    }
    CHECK(bundleIncluded);
}

TEST_CASE("a run bundle is created as cl run creates it, and read back", "[localserver][bundles]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString ws = homeWorksheet(*c);
    const QJsonObject created = createOne(*c, ws,
        bundleBody(QStringLiteral("run"), QStringLiteral("python main.py"),
            runMetadata(QStringLiteral("run-python"))));
    const QString uuid = created[QLatin1String("id")].toString();
    CHECK(QRegularExpression(QStringLiteral("^0x[0-9a-f]{32}$")).match(uuid).hasMatch());
    const QJsonObject a = attributesOf(created);
    CHECK(a[QLatin1String("state")].toString() == QLatin1String("created"));
    CHECK(a[QLatin1String("bundle_type")].toString() == QLatin1String("run"));
    CHECK(a[QLatin1String("command")].toString() == QLatin1String("python main.py"));
    const QJsonObject m = a[QLatin1String("metadata")].toObject();
    CHECK(m[QLatin1String("request_docker_image")].toString() == QString()); // null stored as ""
    CHECK(m[QLatin1String("request_priority")].toInt() == 0); // null stored as 0
    CHECK(m[QLatin1String("request_memory")].toString() == QLatin1String("2g"));
    CHECK(m[QLatin1String("created")].toInteger() > 1700000000);
    CHECK(created[QLatin1String("relationships")]
              .toObject()[QLatin1String("owner")]
              .toObject()[QLatin1String("data")]
              .toObject()[QLatin1String("id")]
              .toString()
        == QLatin1String("0"));

    const HttpResult one = c->get(QStringLiteral("/rest/bundles/") + uuid);
    REQUIRE(one.status == 200);
    CHECK(one.header("Content-Type") == "application/json");
    CHECK(attributesOf(one.json.object()[QLatin1String("data")].toObject())[QLatin1String("state_details")]
              .toString()
              .startsWith(
                  QLatin1String("No workers available"))); // staged by the scheduler, which says why it waits
    const HttpResult missing = c->get(QStringLiteral("/rest/bundles/0x") + QString(32, QLatin1Char('a')));
    CHECK(missing.status == 404);
    CHECK(missing.body == "Not found: '/bundles/0x" + QByteArray(32, 'a') + "'");
}

TEST_CASE("bad bundle requests get a clear 400 and write nothing", "[localserver][bundles][errors]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString ws = homeWorksheet(*c);
    const QString create = QStringLiteral("/rest/bundles?worksheet=") + ws;
    QJsonObject metadata = runMetadata(QStringLiteral("x"));
    metadata.remove(QStringLiteral("request_cpus"));
    HttpResult r = c->post(create, bundleBody(QStringLiteral("run"), QStringLiteral("true"), metadata));
    CHECK(r.status == 400);
    CHECK(r.body == "Missing metadata key: request_cpus");

    r = c->post(create,
        bundleBody(QStringLiteral("run"), QStringLiteral("true"),
            runMetadata(QStringLiteral("9starts-with-digit"))));
    CHECK(r.status == 400);
    CHECK(r.body.startsWith("Names must match"));
    metadata = runMetadata(QStringLiteral("x"));
    metadata[QStringLiteral("request_memory")] = QStringLiteral("lots");
    CHECK(c->post(create, bundleBody(QStringLiteral("run"), QStringLiteral("true"), metadata)).status == 400);

    r = c->send("POST", create, "{\"data\": [", "application/json");
    CHECK(r.status == 400);
    CHECK(r.body.startsWith("Invalid JSON"));
    r = c->send("POST", create, "data", "text/plain");
    CHECK(r.status == 400);
    r = c->post(QStringLiteral("/rest/bundles"),
        bundleBody(QStringLiteral("run"), QStringLiteral("true"), runMetadata(QStringLiteral("x"))));
    CHECK(r.status == 400);
    CHECK(r.body.contains("worksheet"));

    // Two bundles, the second with a dependency on nothing: the first is not written either.
    const QJsonArray missingParent { QJsonObject { { QStringLiteral("child_path"), QStringLiteral("in") },
        { QStringLiteral("parent_uuid"), QString(QStringLiteral("0x") + QString(32, QLatin1Char('b'))) },
        { QStringLiteral("parent_path"), QString() } } };
    const QJsonObject second = bundleBody(
        QStringLiteral("run"), QStringLiteral("true"), runMetadata(QStringLiteral("second")), missingParent);
    QJsonObject two
        = bundleBody(QStringLiteral("run"), QStringLiteral("true"), runMetadata(QStringLiteral("first")));
    QJsonArray items = two[QLatin1String("data")].toArray();
    items.append(second[QLatin1String("data")].toArray().first());
    two[QStringLiteral("data")] = items;
    r = c->post(create, two);
    CHECK(r.status == 400);
    CHECK(r.body.contains("no bundle"));
    CHECK(countBundles(*c) == 0);
}

TEST_CASE("a search lists each bundle with its own dependencies, in the order they were given",
    "[localserver][bundles]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString ws = homeWorksheet(*c);
    const auto dataset = [&](const QString &name) {
        return createOne(*c, ws,
            bundleBody(
                QStringLiteral("dataset"), QString(), QJsonObject { { QStringLiteral("name"), name } }))
            .value(QLatin1String("id"))
            .toString();
    };
    const QString p1 = dataset(QStringLiteral("p1"));
    const QString p2 = dataset(QStringLiteral("p2"));
    const auto dep = [](const QString &key, const QString &parent) {
        return QJsonObject { { QStringLiteral("child_path"), key }, { QStringLiteral("parent_uuid"), parent },
            { QStringLiteral("parent_path"), QString() } };
    };
    // Keys given out of alphabetical order, and parents shared between runs: the search reads every run's
    // dependencies at once, and each must keep its own, in its own order.
    QHash<QString, QStringList> expected;
    const auto run = [&](const QJsonArray &deps, const QStringList &keys) {
        const QString id = createOne(*c, ws,
            bundleBody(
                QStringLiteral("run"), QStringLiteral("true"), runMetadata(QStringLiteral("multi")), deps))
                               .value(QLatin1String("id"))
                               .toString();
        expected.insert(id, keys);
    };
    run(QJsonArray { dep(QStringLiteral("zeta"), p1), dep(QStringLiteral("alpha"), p2) },
        { QStringLiteral("zeta"), QStringLiteral("alpha") });
    run(QJsonArray { dep(QStringLiteral("only"), p2) }, { QStringLiteral("only") });
    run(QJsonArray(), {});
    run(QJsonArray { dep(QStringLiteral("b"), p2), dep(QStringLiteral("a"), p1),
            dep(QStringLiteral("c"), p1) },
        { QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("c") });

    const HttpResult r = c->get(QStringLiteral("/rest/bundles?keywords=name=multi&keywords=.limit=100"));
    REQUIRE(r.status == 200);
    const QJsonArray found = r.json.object().value(QLatin1String("data")).toArray();
    REQUIRE(found.size() == expected.size());
    for (const QJsonValue &v : found) {
        const QString id = v.toObject().value(QLatin1String("id")).toString();
        QStringList keys;
        for (const QJsonValue &d : attributesOf(v.toObject())[QLatin1String("dependencies")].toArray()) {
            CHECK(d.toObject().value(QLatin1String("child_uuid")).toString() == id);
            keys << d.toObject().value(QLatin1String("child_path")).toString();
        }
        CAPTURE(id);
        CHECK(keys == expected.value(id));
    }
}

TEST_CASE(
    "dependencies: parents are checked, keys may not clash, and the run lists them", "[localserver][bundles]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString ws = homeWorksheet(*c);
    const QJsonObject data = createOne(*c, ws,
        bundleBody(QStringLiteral("dataset"), QString(),
            QJsonObject { { QStringLiteral("name"), QStringLiteral("data") } }));
    const QString parent = data[QLatin1String("id")].toString();
    const auto dep = [&](const QString &key, const QString &path) {
        return QJsonObject { { QStringLiteral("child_path"), key }, { QStringLiteral("parent_uuid"), parent },
            { QStringLiteral("parent_path"), path } };
    };
    const QJsonObject run = createOne(*c, ws,
        bundleBody(QStringLiteral("run"), QStringLiteral("cat in/x"), runMetadata(QStringLiteral("use")),
            QJsonArray {
                dep(QStringLiteral("in"), QString()), dep(QStringLiteral("sub"), QStringLiteral("a/b")) }));
    const QJsonArray deps = attributesOf(run)[QLatin1String("dependencies")].toArray();
    REQUIRE(deps.size() == 2);
    CHECK(deps[0].toObject()[QLatin1String("child_uuid")].toString() == run[QLatin1String("id")].toString());
    CHECK(deps[0].toObject()[QLatin1String("parent_name")].toString() == QLatin1String("data"));
    // An uploaded bundle waits for its contents as `uploading`, as upstream's datasets do.
    CHECK(deps[0].toObject()[QLatin1String("parent_state")].toString() == QLatin1String("uploading"));
    CHECK(deps[1].toObject()[QLatin1String("parent_path")].toString() == QLatin1String("a/b"));

    const QString create = QStringLiteral("/rest/bundles?worksheet=") + ws;
    HttpResult r = c->post(create,
        bundleBody(QStringLiteral("run"), QStringLiteral("true"), runMetadata(QStringLiteral("x")),
            QJsonArray { dep(QStringLiteral("a"), QString()), dep(QStringLiteral("a/b"), QString()) }));
    CHECK(r.status == 400);
    CHECK(r.body.contains("clash"));
    r = c->post(create,
        bundleBody(QStringLiteral("run"), QStringLiteral("true"), runMetadata(QStringLiteral("x")),
            QJsonArray { dep(QStringLiteral("bad key!"), QString()) }));
    CHECK(r.status == 400);
    r = c->post(create,
        bundleBody(QStringLiteral("run"), QStringLiteral("true"), runMetadata(QStringLiteral("x")),
            QJsonArray { dep(QStringLiteral("up"), QStringLiteral("../../etc")) }));
    CHECK(r.status == 400);
    CHECK(r.body.contains("inside the parent"));
}

TEST_CASE("specs and keywords find bundles as cl does", "[localserver][bundles][search]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString ws = homeWorksheet(*c);
    QStringList uuids;
    for (const char *name : { "alpha", "beta", "alpha" }) {
        uuids << createOne(*c, ws,
            bundleBody(QStringLiteral("run"), QStringLiteral("true"),
                runMetadata(QLatin1String(name))))[QLatin1String("id")]
                     .toString();
    }
    const auto resolve = [&](const QString &spec) {
        const HttpResult r = c->get(QStringLiteral("/rest/bundles?worksheet=") + ws
            + QStringLiteral("&specs=") + QString::fromLatin1(QUrl::toPercentEncoding(spec)));
        return r.status == 200 ? firstId(r) : QString::number(r.status);
    };
    CHECK(resolve(QStringLiteral("^")) == uuids[2]);
    CHECK(resolve(QStringLiteral("^2")) == uuids[1]);
    CHECK(resolve(QStringLiteral("^3")) == uuids[0]);
    CHECK(resolve(QStringLiteral("^4")) == QLatin1String("400")); // "3 bundles, index 4 out of bounds"
    CHECK(resolve(QStringLiteral("alpha")) == uuids[2]); // the last one with that name
    CHECK(resolve(uuids[1]) == uuids[1]);
    CHECK(resolve(uuids[1].left(30)) == uuids[1]);
    CHECK(resolve(QStringLiteral("nothing")) == QLatin1String("404"));

    CHECK(countBundles(*c) == 3);
    HttpResult r = c->get(QStringLiteral("/rest/bundles?keywords=name=alpha&keywords=.mine"));
    CHECK(r.json.object()[QLatin1String("data")].toArray().size() == 2);
    r = c->get(QStringLiteral("/rest/bundles?keywords=.limit=1"));
    REQUIRE(r.json.object()[QLatin1String("data")].toArray().size() == 1);
    CHECK(firstId(r) == uuids[2]); // newest first
    r = c->get(QStringLiteral("/rest/bundles?keywords=state=running"));
    CHECK(r.json.object()[QLatin1String("data")].toArray().isEmpty());
    r = c->get(QStringLiteral("/rest/bundles?keywords=state=staged&keywords=.count"));
    CHECK(r.json.object()[QLatin1String("meta")].toObject()[QLatin1String("result")].toInt() == 3);
    CHECK(c->get(QStringLiteral("/rest/bundles?keywords=nosuchkey=.sort-"))
              .json.object()[QLatin1String("data")]
              .toArray()
              .isEmpty()); // sorting on a metadata key leaves out bundles without it, as upstream

    QString error;
    const QString password = f.server->addUser(QStringLiteral("carol"), &error);
    HttpTestClient carol = f.client();
    carol.login(QStringLiteral("carol"), password);
    r = carol.get(QStringLiteral("/rest/bundles?keywords=.mine&keywords=.count"));
    CHECK(r.json.object()[QLatin1String("meta")].toObject()[QLatin1String("result")].toInt() == 0);
}

TEST_CASE("metadata edits, request_* locked once started, delete and kill", "[localserver][bundles]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString ws = homeWorksheet(*c);
    const QString uuid = createOne(*c, ws,
        bundleBody(QStringLiteral("run"), QStringLiteral("sleep 1"),
            runMetadata(QStringLiteral("s"))))[QLatin1String("id")]
                             .toString();
    const auto patch = [&](const QJsonObject &metadata) {
        return c->patch(QStringLiteral("/rest/bundles"),
            QJsonObject { { QStringLiteral("data"),
                QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("bundles") },
                    { QStringLiteral("id"), uuid },
                    { QStringLiteral("attributes"),
                        QJsonObject { { QStringLiteral("metadata"), metadata } } } } } } });
    };
    HttpResult r = patch(QJsonObject {
        { QStringLiteral("description"), QStringLiteral("edited") }, { QStringLiteral("request_cpus"), 2 } });
    REQUIRE(r.status == 200);
    CHECK(attributesOf(
              r.json.object()[QLatin1String("data")].toArray().first().toObject())[QLatin1String("metadata")]
              .toObject()[QLatin1String("request_cpus")]
              .toInt()
        == 2);

    // Move it along as a worker would, straight in the store.
    codalab::localserver::BundleStore bundles(f.server->store());
    auto record = bundles.get(uuid);
    record->state = QStringLiteral("running");
    REQUIRE(bundles.update(*record));
    r = patch(QJsonObject { { QStringLiteral("request_cpus"), 4 } });
    CHECK(r.status == 400);
    CHECK(r.body == "Cannot change request_cpus once the bundle has started");
    CHECK(patch(QJsonObject { { QStringLiteral("description"), QStringLiteral("still editable") } }).status
        == 200);

    const QJsonObject deleteBody { { QStringLiteral("data"),
        QJsonArray { QJsonObject {
            { QStringLiteral("type"), QStringLiteral("bundles") }, { QStringLiteral("id"), uuid } } } } };
    r = c->del(QStringLiteral("/rest/bundles"), deleteBody);
    CHECK(r.status == 400);
    CHECK(r.body.contains("For run bundles, kill them first"));

    record->state = QStringLiteral("created");
    REQUIRE(bundles.update(*record));
    const QJsonObject kill { { QStringLiteral("data"),
        QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("bundle-actions") },
            { QStringLiteral("attributes"),
                QJsonObject { { QStringLiteral("type"), QStringLiteral("kill") },
                    { QStringLiteral("uuid"), uuid } } } } } } };
    r = c->post(QStringLiteral("/rest/bundle-actions"), kill);
    REQUIRE(r.status == 200);
    const QJsonObject killed = attributesOf(
        c->get(QStringLiteral("/rest/bundles/") + uuid).json.object()[QLatin1String("data")].toObject());
    CHECK(killed[QLatin1String("state")].toString() == QLatin1String("killed"));
    CHECK(killed[QLatin1String("metadata")].toObject()[QLatin1String("actions")].toArray()
        == QJsonArray { QLatin1String("kill") });
    CHECK(c->post(QStringLiteral("/rest/bundle-actions"), kill).status == 400); // already final

    r = c->del(QStringLiteral("/rest/bundles"), deleteBody);
    REQUIRE(r.status == 200);
    CHECK(c->get(QStringLiteral("/rest/bundles/") + uuid).status == 404);
}

TEST_CASE("a bundle with children is deleted only with recursive", "[localserver][bundles]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString ws = homeWorksheet(*c);
    const QString parent = createOne(*c, ws,
        bundleBody(QStringLiteral("dataset"), QString(),
            QJsonObject { { QStringLiteral("name"), QStringLiteral("d") } }))[QLatin1String("id")]
                               .toString();
    const QString child = createOne(*c, ws,
        bundleBody(QStringLiteral("run"), QStringLiteral("true"), runMetadata(QStringLiteral("c")),
            QJsonArray { QJsonObject { { QStringLiteral("child_path"), QStringLiteral("d") },
                { QStringLiteral("parent_uuid"), parent },
                { QStringLiteral("parent_path"), QString() } } }))[QLatin1String("id")]
                              .toString();
    const QJsonObject body { { QStringLiteral("data"),
        QJsonArray { QJsonObject {
            { QStringLiteral("type"), QStringLiteral("bundles") }, { QStringLiteral("id"), parent } } } } };
    HttpResult r = c->del(QStringLiteral("/rest/bundles"), body);
    CHECK(r.status == 400);
    CHECK(r.body.contains(child.toUtf8()));
    r = c->del(QStringLiteral("/rest/bundles?recursive=1"), body);
    REQUIRE(r.status == 200);
    CHECK(r.json.object()[QLatin1String("meta")].toObject()[QLatin1String("ids")].toArray().size() == 2);
    CHECK(countBundles(*c) == 0);
}

TEST_CASE("a restart keeps users, tokens and bundles", "[localserver][restart]")
{
    LocalServerFixture f;
    auto c = f.root();
    const QString ws = homeWorksheet(*c);
    const QString uuid = createOne(*c, ws,
        bundleBody(QStringLiteral("run"), QStringLiteral("echo kept"),
            runMetadata(QStringLiteral("kept"))))[QLatin1String("id")]
                             .toString();
    f.restart();
    HttpTestClient again { QUrl(f.server->url()) };
    again.setToken(c->token()); // the token issued before the restart still works
    REQUIRE(again.get(QStringLiteral("/rest/user")).status == 200);
    const HttpResult r = again.get(QStringLiteral("/rest/bundles/") + uuid);
    REQUIRE(r.status == 200);
    CHECK(attributesOf(r.json.object()[QLatin1String("data")].toObject())[QLatin1String("command")].toString()
        == QLatin1String("echo kept"));
    CHECK(homeWorksheet(again) == ws);
}
