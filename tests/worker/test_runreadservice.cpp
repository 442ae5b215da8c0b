// SPDX-License-Identifier: GPL-3.0-or-later
// RunReadService end to end: a user reads a running bundle over HTTP from codalab-local-server, the server
// sends `read` messages to the worker (scripted here with WorkerApi check-ins), the service answers them.
#include "localserver/localserverfixture.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "server/workerapi.h"
#include "support/codalabtestdata.h"
#include "support/workersession.h"
#include "util/safearchive.h"
#include "worker/runreadservice.h"

#include <QDir>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace codalab;
using namespace codalab::server;
using codalab::test::LocalServerFixture;

namespace {

ApiResult wait(ApiJob *job)
{
    return test::waitApi(job);
}

void put(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    REQUIRE(f.write(data) == data.size());
}

/// A worker on another machine (no shared file system) holding one running bundle, whose run directory
/// has stdout, sub/a.txt and a dependency link "dep".
struct RunningBundle
{
    LocalServerFixture f { [](localserver::LocalServerConfig &c) { c.checkinWaitMs = 300; } };
    std::unique_ptr<test::HttpTestClient> user = f.root();
    test::WorkerSession session { f.server->url(), f.password, QStringLiteral("reader") };
    WorkerApi &api = session.api;
    QTemporaryDir work;
    QString runDir = work.filePath(QStringLiteral("runs/run"));
    QStringList hidden { QStringLiteral("dep") };
    worker::RunReadService service { &api, work.filePath(QStringLiteral("tmp")) };
    QString uuid;

    RunningBundle()
    {
        put(runDir + QStringLiteral("/stdout"), "hello from the run\n");
        put(runDir + QStringLiteral("/sub/a.txt"), "a\n");
        REQUIRE(QFile::link(QStringLiteral("/dependencies/dep"), runDir + QStringLiteral("/dep")));

        const test::HttpResult created
            = user->post(QStringLiteral("/rest/bundles?worksheet=") + test::homeWorksheet(*user),
                test::bundleBody(QStringLiteral("run"), QStringLiteral("echo hi"),
                    test::runMetadata(QStringLiteral("r"))));
        REQUIRE(created.status == 200);
        uuid = test::firstId(created);
        QJsonArray messages;
        for (int i = 0; i < 5 && messages.isEmpty(); ++i) {
            for (const QJsonValue &m : wait(api.checkin(checkin({}))).json.array()) {
                if (!m.isNull()) {
                    messages.append(m);
                }
            }
        }
        REQUIRE(messages.size() == 1);
        REQUIRE(messages.first()[QLatin1String("type")].toString() == QLatin1String("run"));
        REQUIRE(wait(api.startBundle(uuid, QStringLiteral("test-host"), 1700000000)).body == "true");
        REQUIRE(wait(api.checkin(checkin(uuid))).ok());
    }

    QJsonObject checkin(const QString &running) const
    {
        QJsonArray runs;
        if (!running.isEmpty()) {
            QJsonObject stages;
            for (const char *s : { "RUN_STAGE.PREPARING", "RUN_STAGE.RUNNING", "RUN_STAGE.CLEANING_UP",
                     "RUN_STAGE.UPLOADING_RESULTS", "RUN_STAGE.FINALIZING" }) {
                stages.insert(QLatin1String(s),
                    QJsonObject { { QStringLiteral("start"), 1 }, { QStringLiteral("end"), QJsonValue() },
                        { QStringLiteral("elapsed"), 1 } });
            }
            runs.append(QJsonObject { { QStringLiteral("uuid"), running },
                { QStringLiteral("run_status"), QStringLiteral("Running job in container.") },
                { QStringLiteral("bundle_start_time"), 1700000000 },
                { QStringLiteral("container_time_total"), 1 }, { QStringLiteral("container_time_user"), 0 },
                { QStringLiteral("container_time_system"), 0 },
                { QStringLiteral("docker_image"), QJsonValue() },
                { QStringLiteral("state"), QStringLiteral("running") },
                { QStringLiteral("remote"), QStringLiteral("test-host") },
                { QStringLiteral("exitcode"), QJsonValue() },
                { QStringLiteral("failure_message"), QJsonValue() },
                { QStringLiteral("bundle_profile_stats"), stages }, { QStringLiteral("cpu_usage"), 0.0 },
                { QStringLiteral("memory_usage"), 0.0 }, { QStringLiteral("disk_utilization"), 0 } });
        }
        return QJsonObject { { QStringLiteral("cpus"), 2 }, { QStringLiteral("gpus"), 0 },
            { QStringLiteral("memory_bytes"), qint64(4) << 30 },
            { QStringLiteral("free_disk_bytes"), qint64(10) << 30 },
            { QStringLiteral("dependencies"), QJsonArray() }, { QStringLiteral("runs"), runs },
            { QStringLiteral("shared_file_system"), false }, { QStringLiteral("exit_after_num_runs"), 10 } };
    }

    /// Starts a user's GET of the bundle's `path` (under contents/); the server waits on the worker for it.
    QNetworkReply *get(const QString &path, const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        QNetworkRequest request(
            QUrl(f.server->url() + QStringLiteral("/rest/bundles/%1/contents/").arg(uuid) + path));
        request.setRawHeader("Authorization", "Bearer " + user->token().toLatin1());
        request.setRawHeader("X-Requested-With", "XMLHttpRequest");
        request.setRawHeader("Accept-Encoding", "identity");
        for (const auto &[name, value] : headers) {
            request.setRawHeader(name, value);
        }
        return session.nam.get(request);
    }

    /// Checks in as the worker and answers each `read` message with the service until `reply` is finished.
    /// Returns the read types the server asked for.
    QStringList serve(QNetworkReply *reply, bool asNotRunning = false)
    {
        QSignalSpy replied(&service, &worker::RunReadService::replied);
        QStringList types;
        for (int round = 0; round < 10 && !reply->isFinished(); ++round) {
            for (const QJsonValue &value : wait(api.checkin(checkin(uuid))).json.array()) {
                const QJsonObject m = value.toObject();
                if (m[QLatin1String("type")].toString() != QLatin1String("read")) {
                    continue;
                }
                CHECK(m[QLatin1String("uuid")].toString() == uuid);
                types << m[QLatin1String("read_args")].toObject()[QLatin1String("type")].toString();
                if (asNotRunning) {
                    service.replyNotRunning(m);
                } else {
                    service.handleRead(m, runDir, hidden);
                }
            }
            while (replied.count() < types.size()) {
                REQUIRE(replied.wait(30000));
            }
        }
        for (const QList<QVariant> &args : std::as_const(replied)) {
            INFO(args.at(1).value<ApiError>().message.toStdString());
            CHECK_FALSE(args.at(1).value<ApiError>());
        }
        REQUIRE(QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000));
        return types;
    }
};

int statusOf(QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

} // namespace

TEST_CASE("a user reads a running bundle's stdout through the worker's read replies",
    "[worker][readers][integration]")
{
    RunningBundle b;
    std::unique_ptr<QNetworkReply> read(b.get(QStringLiteral("blob/stdout")));
    const QStringList types = b.serve(read.get());
    CHECK(types == QStringList { QStringLiteral("get_target_info"), QStringLiteral("stream_file") });
    CHECK(statusOf(read.get()) == 200);
    CHECK(read->readAll() == "hello from the run\n");
    // The data reply's temporary file goes once its call is over.
    const QDir temp(b.work.filePath(QStringLiteral("tmp")));
    CHECK(QTest::qWaitFor([&temp] { return temp.entryList(QDir::Files).isEmpty(); }, 10000));

    SECTION("a Range read is a read_file_section")
    {
        std::unique_ptr<QNetworkReply> range(
            b.get(QStringLiteral("blob/stdout"), { { "Range", "bytes=6-9" } }));
        CHECK(b.serve(range.get()).last() == QLatin1String("read_file_section"));
        CHECK(range->readAll() == "from");
    }
    SECTION("head and tail are a summarize_file")
    {
        std::unique_ptr<QNetworkReply> head(b.get(QStringLiteral("blob/stdout?head=1")));
        CHECK(b.serve(head.get()).last() == QLatin1String("summarize_file"));
        CHECK(head->readAll() == "hello from the run\n");
    }
    SECTION("a directory comes as a tar.gz without the dependency link")
    {
        std::unique_ptr<QNetworkReply> dir(b.get(QStringLiteral("blob/")));
        CHECK(b.serve(dir.get()).last() == QLatin1String("stream_directory"));
        REQUIRE(statusOf(dir.get()) == 200);
        const QString archive = b.work.filePath(QStringLiteral("got.tar.gz"));
        put(archive, dir->readAll());
        const QString out = b.work.filePath(QStringLiteral("out"));
        const util::ArchiveResult unpacked = util::SafeArchive::extract(archive, out);
        INFO(unpacked.error.toStdString());
        REQUIRE(unpacked.ok);
        CHECK(QDir(out).entryList(QDir::AllEntries | QDir::NoDotAndDotDot)
            == QStringList { QStringLiteral("stdout"), QStringLiteral("sub") });
    }
    SECTION("a missing file is the worker's 404")
    {
        std::unique_ptr<QNetworkReply> missing(b.get(QStringLiteral("blob/nothing")));
        b.serve(missing.get());
        CHECK(statusOf(missing.get()) == 404);
        CHECK(missing->readAll()
            == QStringLiteral("Path 'nothing' in bundle %1 not found").arg(b.uuid).toUtf8());
    }
    SECTION("a bundle the worker no longer runs is its 500")
    {
        std::unique_ptr<QNetworkReply> gone(b.get(QStringLiteral("blob/stdout")));
        b.serve(gone.get(), true);
        CHECK(statusOf(gone.get()) == 500);
        CHECK(gone->readAll() == "Bundle no longer running");
    }
}

TEST_CASE("a user's info of a running bundle is the worker's get_target_info with depth",
    "[worker][readers][integration]")
{
    RunningBundle b;
    std::unique_ptr<QNetworkReply> info(b.get(QStringLiteral("info/?depth=2")));
    CHECK(b.serve(info.get()) == QStringList { QStringLiteral("get_target_info") });
    REQUIRE(statusOf(info.get()) == 200);
    const QJsonObject data = QJsonDocument::fromJson(info->readAll())[QLatin1String("data")].toObject();
    CHECK(data[QLatin1String("name")].toString() == b.uuid);
    CHECK(data[QLatin1String("type")].toString() == QLatin1String("directory"));
    CHECK(
        data[QLatin1String("resolved_target")].toObject()[QLatin1String("bundle_uuid")].toString() == b.uuid);
    const QJsonArray contents = data[QLatin1String("contents")].toArray();
    REQUIRE(contents.size() == 2); // "dep" is not listed
    CHECK(contents[0][QLatin1String("name")].toString() == QLatin1String("stdout"));
    CHECK(contents[0][QLatin1String("size")].toInteger() == 19);
    const QJsonArray sub = contents[1][QLatin1String("contents")].toArray();
    REQUIRE(sub.size() == 1); // depth 2 reaches into sub/
    CHECK(sub[0][QLatin1String("name")].toString() == QLatin1String("a.txt"));

    std::unique_ptr<QNetworkReply> one(b.get(QStringLiteral("info/sub?depth=0")));
    b.serve(one.get());
    const QJsonObject subInfo = QJsonDocument::fromJson(one->readAll())[QLatin1String("data")].toObject();
    CHECK(subInfo[QLatin1String("name")].toString() == QLatin1String("sub"));
    CHECK_FALSE(subInfo.contains(QLatin1String("contents")));

    std::unique_ptr<QNetworkReply> hidden(b.get(QStringLiteral("info/dep")));
    b.serve(hidden.get());
    CHECK(statusOf(hidden.get()) == 404);
}
