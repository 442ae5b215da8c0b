// SPDX-License-Identifier: GPL-3.0-or-later
// The worker protocol of codalab-local-server, with a worker scripted as plain HTTP calls.
#include "scriptedworker.h"

using namespace codalab::test;

TEST_CASE("a run goes staged → starting → preparing → running → finalizing → ready with a scripted worker",
    "[localserver][workers]")
{
    LocalServerFixture f(fast);
    auto user = f.root();
    const QString uuid = createRun(*user, QStringLiteral("run-echo"));
    settle();
    CHECK(stateOf(*user, uuid) == QLatin1String("staged"));
    CHECK(attrs(*user, uuid)[QLatin1String("state_details")].toString().startsWith(
        QLatin1String("No workers available")));

    ScriptedWorker worker(f, QStringLiteral("w1"));
    QJsonArray messages = worker.checkinUntilMessage();
    REQUIRE(messages.size() == 1);
    const QJsonObject run = messages.first().toObject();
    CHECK(run[QLatin1String("type")].toString() == QLatin1String("run"));
    CHECK(run[QLatin1String("bundle")].toObject()[QLatin1String("uuid")].toString() == uuid);
    CHECK(run[QLatin1String("bundle")].toObject()[QLatin1String("command")].toString()
        == QLatin1String("echo hi"));
    const QJsonObject resources = run[QLatin1String("resources")].toObject();
    CHECK(resources[QLatin1String("docker_image")].toString() == QLatin1String("codalab/default-cpu:latest"));
    CHECK(resources[QLatin1String("memory")].toInteger() == qint64(2) << 30);
    CHECK(resources[QLatin1String("cpus")].toInt() == 1);
    CHECK(resources[QLatin1String("time")].toInt() == 0);
    CHECK(resources[QLatin1String("disk")].toInt() == 0);
    CHECK(resources[QLatin1String("network")].toBool());
    CHECK(stateOf(*user, uuid) == QLatin1String("starting"));

    REQUIRE(worker.startBundle(uuid));
    CHECK_FALSE(worker.startBundle(uuid)); // only a starting bundle can be started
    QJsonObject a = attrs(*user, uuid);
    CHECK(a[QLatin1String("state")].toString() == QLatin1String("preparing"));
    CHECK(a[QLatin1String("metadata")].toObject()[QLatin1String("remote")].toString()
        == QLatin1String("test-host"));
    CHECK(a[QLatin1String("metadata")].toObject()[QLatin1String("started")].toInteger() == 1700000000);

    CHECK(worker.checkin({ ScriptedWorker::report(uuid, QStringLiteral("running")) }).isEmpty());
    a = attrs(*user, uuid);
    CHECK(a[QLatin1String("state")].toString() == QLatin1String("running"));
    CHECK(a[QLatin1String("state_details")].toString() == QLatin1String("Running job in container."));
    const QJsonObject m = a[QLatin1String("metadata")].toObject();
    CHECK(m[QLatin1String("time")].toInt() == 7);
    CHECK(m[QLatin1String("time_user")].toInt() == 5);
    CHECK(m[QLatin1String("data_size")].toInt() == 1234);
    CHECK(m[QLatin1String("docker_image")].toString() == QLatin1String("codalab-test/busybox@sha256:abc"));
    CHECK(m[QLatin1String("time_running")].toInt() == 2);

    HttpResult info = user->get(QStringLiteral("/rest/workers/info"));
    const QJsonObject w = info.json.object()[QLatin1String("data")].toArray().first().toObject();
    CHECK(w[QLatin1String("worker_id")].toString() == QLatin1String("w1"));
    CHECK(w[QLatin1String("cpus_in_use")].toInt() == 1);
    CHECK(w[QLatin1String("run_uuids")].toArray() == QJsonArray { uuid });

    messages = worker.checkin({ ScriptedWorker::report(uuid, QStringLiteral("finalizing"), 0) });
    REQUIRE(messages.size() == 1);
    CHECK(messages.first().toObject()[QLatin1String("type")].toString() == QLatin1String("mark_finalized"));
    CHECK(messages.first().toObject()[QLatin1String("uuid")].toString() == uuid);
    CHECK(stateOf(*user, uuid) == QLatin1String("ready"));

    // A report that comes late must not reopen it.
    worker.checkin({ ScriptedWorker::report(uuid, QStringLiteral("finalizing"), 0) });
    CHECK(stateOf(*user, uuid) == QLatin1String("ready"));
}

TEST_CASE("failed and killed finals, kill reaches the worker as a message", "[localserver][workers]")
{
    LocalServerFixture f(fast);
    auto user = f.root();
    ScriptedWorker worker(f, QStringLiteral("w2"));
    worker.checkin();
    const QString failing = createRun(*user, QStringLiteral("fails"));
    const QString killing = createRun(*user, QStringLiteral("killed"));
    QStringList given;
    for (int i = 0; i < 4 && given.size() < 2; ++i) {
        for (const QJsonValue &m : worker.checkin()) {
            given << m.toObject()[QLatin1String("bundle")].toObject()[QLatin1String("uuid")].toString();
        }
    }
    REQUIRE(given.size() == 2);
    REQUIRE(worker.startBundle(failing));
    REQUIRE(worker.startBundle(killing));
    worker.checkin({ ScriptedWorker::report(failing, QStringLiteral("running")),
        ScriptedWorker::report(killing, QStringLiteral("running")) });

    const QJsonObject kill { { QStringLiteral("data"),
        QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("bundle-actions") },
            { QStringLiteral("attributes"),
                QJsonObject { { QStringLiteral("type"), QStringLiteral("kill") },
                    { QStringLiteral("uuid"), killing } } } } } } };
    REQUIRE(user->post(QStringLiteral("/rest/bundle-actions"), kill).status == 200);
    const QJsonArray messages = worker.checkin({ ScriptedWorker::report(failing, QStringLiteral("running")),
        ScriptedWorker::report(killing, QStringLiteral("running")) });
    REQUIRE(messages.size() == 1);
    CHECK(messages.first().toObject()[QLatin1String("type")].toString() == QLatin1String("kill"));
    CHECK(messages.first().toObject()[QLatin1String("uuid")].toString() == killing);

    QJsonArray finals;
    for (int i = 0; i < 4 && finals.size() < 2; ++i) {
        for (const QJsonValue &m :
            worker.checkin({ ScriptedWorker::report(failing, QStringLiteral("finalizing"), 2),
                ScriptedWorker::report(
                    killing, QStringLiteral("finalizing"), 137, QStringLiteral("Kill requested")) })) {
            finals.append(m);
        }
    }
    CHECK(finals.size() == 2);
    const QJsonObject failed = attrs(*user, failing);
    CHECK(failed[QLatin1String("state")].toString() == QLatin1String("failed"));
    CHECK(failed[QLatin1String("metadata")].toObject()[QLatin1String("failure_message")].toString()
        == QLatin1String("Exit code 2"));
    CHECK(failed[QLatin1String("metadata")].toObject()[QLatin1String("exitcode")].toInt() == 2);
    CHECK(stateOf(*user, killing) == QLatin1String("killed"));
}

TEST_CASE(
    "a silent worker's runs go worker_offline and come back when it reports them", "[localserver][workers]")
{
    LocalServerFixture f([](codalab::localserver::LocalServerConfig &c) {
        c.checkinWaitMs = 200;
        c.workerTimeoutSec = 1;
    });
    auto user = f.root();
    ScriptedWorker worker(f, QStringLiteral("w4"));
    const QString uuid = createRun(*user, QStringLiteral("long"));
    settle();
    QJsonArray messages = worker.checkinUntilMessage();
    REQUIRE(messages.size() == 1);
    REQUIRE(worker.startBundle(uuid));
    worker.checkin({ ScriptedWorker::report(uuid, QStringLiteral("running")) });
    REQUIRE(stateOf(*user, uuid) == QLatin1String("running"));
    QTest::qWait(1200);
    f.server->workerHub()->housekeeping();
    CHECK(stateOf(*user, uuid) == QLatin1String("worker_offline"));
    CHECK(user->get(QStringLiteral("/rest/workers/info"))
              .json.object()[QLatin1String("data")]
              .toArray()
              .isEmpty());
    worker.checkin({ ScriptedWorker::report(uuid, QStringLiteral("running")) });
    CHECK(stateOf(*user, uuid) == QLatin1String("running"));
}

TEST_CASE("a run its worker never starts goes back to staged", "[localserver][workers]")
{
    LocalServerFixture f([](codalab::localserver::LocalServerConfig &c) {
        c.checkinWaitMs = 200;
        c.startingTimeoutSec = 1;
    });
    auto user = f.root();
    ScriptedWorker worker(
        f, QStringLiteral("w5"), QJsonObject { { QStringLiteral("exit_after_num_runs"), 1 } });
    const QString uuid = createRun(*user, QStringLiteral("never"));
    settle();
    QJsonArray messages = worker.checkinUntilMessage();
    REQUIRE(messages.size() == 1);
    CHECK(stateOf(*user, uuid) == QLatin1String("starting"));
    QTest::qWait(1200);
    f.server->workerHub()->housekeeping();
    settle();
    CHECK(stateOf(*user, uuid) == QLatin1String("staged")); // and not sent again: the worker took its one run
}

TEST_CASE(
    "tags, resources and dependencies decide where and when a run goes", "[localserver][workers][scheduler]")
{
    LocalServerFixture f(fast);
    auto user = f.root();
    ScriptedWorker tagged(f, QStringLiteral("tagged"),
        QJsonObject { { QStringLiteral("tag"), QStringLiteral("gpu-box") },
            { QStringLiteral("tag_exclusive"), true } });
    ScriptedWorker small(
        f, QStringLiteral("small"), QJsonObject { { QStringLiteral("cpus"), 1 } }, tagged.http().token());
    tagged.checkin();
    small.checkin();

    const QString forTag = createRun(*user, QStringLiteral("tagged-run"),
        QJsonObject { { QStringLiteral("request_queue"), QStringLiteral("gpu-box") } });
    const QString big
        = createRun(*user, QStringLiteral("big"), QJsonObject { { QStringLiteral("request_cpus"), 8 } });
    const QString other = createRun(*user, QStringLiteral("other-tag"),
        QJsonObject { { QStringLiteral("request_queue"), QStringLiteral("nowhere") } });
    settle();
    QStringList toTagged;
    QStringList toSmall;
    for (int i = 0; i < 2; ++i) {
        for (const QJsonValue &m : tagged.checkin()) {
            toTagged << m.toObject()[QLatin1String("bundle")].toObject()[QLatin1String("uuid")].toString();
        }
        for (const QJsonValue &m : small.checkin()) {
            toSmall << m.toObject()[QLatin1String("bundle")].toObject()[QLatin1String("uuid")].toString();
        }
    }
    CHECK(toTagged == QStringList { forTag });
    CHECK(toSmall.isEmpty()); // nothing fits the 1-CPU worker, and untagged runs avoid the exclusive one
    CHECK(stateOf(*user, big) == QLatin1String("staged"));
    const QString why = attrs(*user, big)[QLatin1String("state_details")].toString();
    CHECK(why.startsWith(QLatin1String("No worker can meet your bundle's resource requirements")));
    CHECK(why.contains(QLatin1String("small (cpus 1")));
    CHECK(attrs(*user, other)[QLatin1String("state_details")].toString().contains(
        QLatin1String("with tag nowhere")));

    SECTION("a run waits for its parent, and fails when the parent fails")
    {
        const QString parent = createRun(*user, QStringLiteral("parent"),
            QJsonObject { { QStringLiteral("request_queue"), QStringLiteral("nowhere") } });
        const QJsonArray dep { QJsonObject { { QStringLiteral("child_path"), QStringLiteral("p") },
            { QStringLiteral("parent_uuid"), parent }, { QStringLiteral("parent_path"), QString() } } };
        const QString child = createRun(*user, QStringLiteral("child"), {}, dep);
        settle();
        CHECK(stateOf(*user, child) == QLatin1String("created"));
        const QJsonObject kill { { QStringLiteral("data"),
            QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("bundle-actions") },
                { QStringLiteral("attributes"),
                    QJsonObject { { QStringLiteral("type"), QStringLiteral("kill") },
                        { QStringLiteral("uuid"), parent } } } } } } };
        REQUIRE(user->post(QStringLiteral("/rest/bundle-actions"), kill).status == 200);
        settle();
        const QJsonObject a = attrs(*user, child);
        CHECK(a[QLatin1String("state")].toString() == QLatin1String("failed"));
        CHECK(a[QLatin1String("metadata")].toObject()[QLatin1String("failure_message")].toString()
            == QStringLiteral("Parent bundles failed: ") + parent);
    }
}

TEST_CASE("malformed check-ins are refused with 400", "[localserver][workers][errors]")
{
    LocalServerFixture f(fast);
    ScriptedWorker worker(f, QStringLiteral("w6"));
    HttpResult r = worker.http().send(
        "POST", QStringLiteral("/rest/workers/w6/checkin"), "{not json", "application/json");
    CHECK(r.status == 400);
    r = worker.http().post(
        QStringLiteral("/rest/workers/w6/checkin"), QJsonObject { { QStringLiteral("cpus"), 1 } });
    CHECK(r.status == 400);
    CHECK(r.body.contains("runs"));
    r = worker.http().post(QStringLiteral("/rest/workers/w6/reply/99"), QJsonObject {});
    CHECK(r.status == 403);
}

TEST_CASE("reads of a running bundle are answered by its worker through read and reply",
    "[localserver][workers][read]")
{
    LocalServerFixture f(fast);
    auto user = f.root();
    ScriptedWorker worker(f, QStringLiteral("w7"));
    const QString uuid = createRun(*user, QStringLiteral("reading"));
    settle();
    QJsonArray messages = worker.checkinUntilMessage();
    REQUIRE(messages.size() == 1);
    REQUIRE(worker.startBundle(uuid));
    worker.checkin({ ScriptedWorker::report(uuid, QStringLiteral("running")) });

    // The user's read waits on the worker, so it goes out without blocking this thread.
    QNetworkAccessManager nam;
    QNetworkRequest request(
        QUrl(f.server->url() + QStringLiteral("/rest/bundles/%1/contents/blob/stdout").arg(uuid)));
    request.setRawHeader("Authorization", "Bearer " + user->token().toLatin1());
    request.setRawHeader("X-Requested-With", "XMLHttpRequest");
    request.setRawHeader("Accept-Encoding", "identity");
    QNetworkReply *read = nam.get(request);
    QStringList readTypes;
    for (int i = 0; i < 6 && !read->isFinished(); ++i) {
        for (const QJsonValue &value :
            worker.checkin({ ScriptedWorker::report(uuid, QStringLiteral("running")) })) {
            const QJsonObject m = value.toObject();
            REQUIRE(m[QLatin1String("type")].toString() == QLatin1String("read"));
            CHECK(m[QLatin1String("path")].toString() == QLatin1String("stdout"));
            const QString type = m[QLatin1String("read_args")].toObject()[QLatin1String("type")].toString();
            readTypes << type;
            const int socket = m[QLatin1String("socket_id")].toInt();
            if (type == QLatin1String("get_target_info")) {
                worker.http().post(QStringLiteral("/rest/workers/w7/reply/%1").arg(socket),
                    QJsonObject { { QStringLiteral("target_info"),
                        QJsonObject { { QStringLiteral("name"), QStringLiteral("stdout") },
                            { QStringLiteral("type"), QStringLiteral("file") },
                            { QStringLiteral("size"), 18 }, { QStringLiteral("perm"), 0644 } } } });
            } else {
                const HttpResult r = worker.http().send("POST",
                    QStringLiteral("/rest/workers/w7/reply_data/%1?header_message=%7B%7D").arg(socket),
                    codalab::util::GzipCodec::compress("hello from a run\n"), "application/octet-stream");
                CHECK(r.status == 200);
            }
        }
    }
    REQUIRE(QTest::qWaitFor([read] { return read->isFinished(); }, 10000));
    CHECK(read->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200);
    CHECK(read->readAll() == "hello from a run\n");
    CHECK(readTypes == QStringList { QStringLiteral("get_target_info"), QStringLiteral("stream_file") });
    read->deleteLater();

    SECTION("a worker's error reply reaches the user")
    {
        QNetworkRequest info(
            QUrl(f.server->url() + QStringLiteral("/rest/bundles/%1/contents/info/missing").arg(uuid)));
        info.setRawHeader("Authorization", "Bearer " + user->token().toLatin1());
        info.setRawHeader("X-Requested-With", "XMLHttpRequest");
        QNetworkReply *reply = nam.get(info);
        for (int i = 0; i < 4 && !reply->isFinished(); ++i) {
            for (const QJsonValue &value :
                worker.checkin({ ScriptedWorker::report(uuid, QStringLiteral("running")) })) {
                worker.http().post(QStringLiteral("/rest/workers/w7/reply/%1")
                                       .arg(value.toObject()[QLatin1String("socket_id")].toInt()),
                    QJsonObject { { QStringLiteral("error_code"), 404 },
                        { QStringLiteral("error_message"), QStringLiteral("missing not found") } });
            }
        }
        REQUIRE(QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000));
        CHECK(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 404);
        CHECK(reply->readAll() == "missing not found");
        reply->deleteLater();
    }
}

TEST_CASE("a run on an uploaded dataset waits for the upload, then goes out with its dependency",
    "[localserver][workers][scheduler]")
{
    LocalServerFixture f(fast);
    auto user = f.root();
    const QString dataset = createDataset(*user, QStringLiteral("inputs")); // no contents yet
    const QString run = createRun(*user, QStringLiteral("uses-inputs"), {},
        QJsonArray { QJsonObject { { QStringLiteral("child_path"), QStringLiteral("in") },
            { QStringLiteral("parent_uuid"), dataset }, { QStringLiteral("parent_path"), QString() } } });
    ScriptedWorker worker(f, QStringLiteral("w8"));
    CHECK(worker.checkin().isEmpty());
    CHECK(stateOf(*user, run) == QLatin1String("created")); // its parent has no contents yet

    REQUIRE(
        user->send("PUT", QStringLiteral("/rest/bundles/%1/contents/blob/?filename=data.txt").arg(dataset),
                "1,2,3\n", "application/octet-stream")
            .status
        == 200);
    CHECK(stateOf(*user, dataset) == QLatin1String("ready"));
    QJsonArray messages = worker.checkinUntilMessage();
    REQUIRE(messages.size() == 1);
    const QJsonArray deps = messages.first()
                                .toObject()[QLatin1String("bundle")]
                                .toObject()[QLatin1String("dependencies")]
                                .toArray();
    REQUIRE(deps.size() == 1);
    CHECK(deps.first().toObject()[QLatin1String("parent_uuid")].toString() == dataset);
    CHECK(deps.first().toObject()[QLatin1String("child_path")].toString() == QLatin1String("in"));
    CHECK(deps.first().toObject()[QLatin1String("parent_name")].toString() == QLatin1String("inputs"));
    // The worker downloads it as upstream's does: info, then the blob.
    HttpResult info = worker.http().get(QStringLiteral("/rest/bundles/%1/contents/info/").arg(dataset));
    CHECK(info.json.object()[QLatin1String("data")].toObject()[QLatin1String("type")].toString()
        == QLatin1String("file"));
    CHECK(
        worker.http().get(QStringLiteral("/rest/bundles/%1/contents/blob/").arg(dataset)).body == "1,2,3\n");
}
