// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/localserverfixture.h"
#include "server/codalabclient.h"
#include "server/runrequest.h"
#include "server/runsubmission.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "support/codalabtestdata.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>

#include <catch2/catch.hpp>

using codalab::server::ApiJob;
using codalab::server::ApiResult;
using codalab::server::RunRequest;
using codalab::server::RunSubmission;

namespace {

/// Submits `request` as `cl run` would, fetches the bundle back and returns its resource.
QJsonObject submitAndFetch(codalab::server::CodaLabClient &client, const RunRequest &request)
{
    QSignalSpy submitted(client.submitRun(request), &RunSubmission::finished);
    REQUIRE(submitted.wait(30000));
    const ApiResult created = submitted.first().first().value<ApiResult>();
    INFO(created.error.message.toStdString());
    REQUIRE(created.ok());
    const QString uuid = created.json.object()[QLatin1String("data")]
                             .toArray()
                             .first()
                             .toObject()[QLatin1String("id")]
                             .toString();
    QSignalSpy fetched(client.bundle(uuid), &ApiJob::finished);
    REQUIRE(fetched.wait(30000));
    const ApiResult r = fetched.first().first().value<ApiResult>();
    REQUIRE(r.ok());
    return r.json.object()[QLatin1String("data")].toObject();
}

} // namespace

TEST_CASE("the default run name follows upstream's rules", "[runrequest]")
{
    CHECK(RunRequest::defaultName(QStringLiteral("python main.py --lr 3")) == QLatin1String("run-python"));
    CHECK(RunRequest::defaultName(QStringLiteral("  ./train.sh x")) == QLatin1String("run-.-train.sh"));
    CHECK(RunRequest::defaultName(QStringLiteral("a&&b")) == QLatin1String("run-a-b"));
    CHECK(RunRequest::defaultName(QStringLiteral("x") + QString(40, QLatin1Char('y'))).size() == 32);
}

TEST_CASE("dependencies parse as key:[worksheet//]bundle[/subpath]", "[runrequest]")
{
    QString error;
    auto d = RunRequest::parseDependency(QStringLiteral("data:mnist/train"), &error);
    REQUIRE(d);
    CHECK(d->key == QLatin1String("data"));
    CHECK(d->target == QLatin1String("mnist/train"));
    CHECK(d->parentPath == QLatin1String("train"));
    d = RunRequest::parseDependency(QStringLiteral(":ws//mnist/a/b"), &error);
    REQUIRE(d);
    CHECK(d->key == QLatin1String("b")); // key-less: the last part of the subpath
    CHECK(d->parentPath == QLatin1String("a/b"));
    d = RunRequest::parseDependency(QStringLiteral(":mnist"), &error);
    CHECK(d->key == QLatin1String("mnist"));
    CHECK_FALSE(RunRequest::parseDependency(QStringLiteral("nocolon"), &error));
    CHECK_FALSE(RunRequest::parseDependency(QStringLiteral("key:"), &error));
}

TEST_CASE("invalid requests name every bad field", "[runrequest]")
{
    RunRequest r;
    r.command = QStringLiteral("   ");
    r.name = QStringLiteral("9bad");
    r.cpus = 0;
    r.memory = QStringLiteral("lots");
    r.time = QStringLiteral("soon");
    r.queue = QStringLiteral("has space");
    r.dependencies = { { QStringLiteral("a"), QStringLiteral("x"), {}, {} },
        { QStringLiteral("a/b"), QStringLiteral("y"), {}, {} },
        { QStringLiteral("../up"), QStringLiteral("z"), {}, {} } };
    const QString all = r.validate().join(QLatin1Char('\n'));
    for (const char *field : { "command:", "name:", "cpus:", "memory:", "time:", "queue:", "dependency a/b",
             "dependency ../up" }) {
        INFO(field);
        CHECK(all.contains(QLatin1String(field)));
    }
    RunRequest ok;
    ok.command = QStringLiteral("echo hi");
    CHECK(ok.validate().isEmpty());
    ok.memory = QStringLiteral("1m");
    CHECK(ok.validate() == QStringList { QStringLiteral("memory: at least 4m") });
}

TEST_CASE("the create body carries every key cl run sends, and the cl command line matches", "[runrequest]")
{
    RunRequest r;
    r.command = QStringLiteral("python train.py");
    r.image = QStringLiteral("codalab-test/busybox");
    r.queue = QStringLiteral("my-box");
    r.gpus = 1;
    r.priority = 3;
    r.dependencies = { { QStringLiteral("data"), QStringLiteral("mnist/train"), QStringLiteral("0xabc"),
        QStringLiteral("train") } };
    const QJsonObject a = r.toCreateBody()[QLatin1String("data")]
                              .toArray()
                              .first()
                              .toObject()[QLatin1String("attributes")]
                              .toObject();
    const QJsonObject m = a[QLatin1String("metadata")].toObject();
    for (const char *key : { "name", "description", "tags", "allow_failed_dependencies",
             "request_docker_image", "request_time", "request_memory", "request_disk", "request_cpus",
             "request_gpus", "request_queue", "request_priority", "request_network", "exclude_patterns" }) {
        INFO(key);
        CHECK(m.contains(QLatin1String(key)));
    }
    CHECK(m[QLatin1String("name")].toString() == QLatin1String("run-python"));
    CHECK(m[QLatin1String("request_time")].isNull());
    CHECK(m[QLatin1String("request_priority")].toInt() == 3);
    CHECK(
        a[QLatin1String("dependencies")].toArray().first().toObject()[QLatin1String("parent_uuid")].toString()
        == QLatin1String("0xabc"));
    CHECK(r.toClCommand()
        == QLatin1String("cl run data:mnist/train 'python train.py' --request-docker-image "
                         "codalab-test/busybox --request-queue my-box "
                         "--request-gpus 1 --request-priority 3"));
    // cl run cannot ask for no network: the line says so instead of quietly giving the run one.
    r.network = false;
    CHECK(r.toClCommand().endsWith(QLatin1String(" # no network: request_network false has no cl run flag")));
}

TEST_CASE("a request rebuilt from its bundle is the request that created it", "[runrequest][server]")
{
    codalab::test::LocalServerFixture f;
    QNetworkAccessManager nam;
    codalab::server::ServerConnection connection(&nam);
    codalab::server::TokenManager tokens(
        &connection, QStringLiteral("codalab_cli_client"), codalab::server::TokenManager::Mode::Refresh);
    QString error;
    REQUIRE(connection.setServerUrl(f.server->url(), &error));
    connection.setTokenManager(&tokens);
    tokens.setCredentials(QStringLiteral("codalab"), f.password);
    codalab::server::CodaLabClient client(&connection);
    auto http = f.root();
    const QString dataset = codalab::test::createDataset(
        *http, QStringLiteral("mnist"), QStringLiteral("train.csv"), "0123456789");

    SECTION("every option set, dependencies with and without a subpath")
    {
        RunRequest r;
        r.command = QStringLiteral("python train.py --lr 0.1 'a b'");
        r.image = QStringLiteral("codalab-test/busybox:latest");
        r.queue = QStringLiteral("gpu-box");
        r.cpus = 3;
        r.gpus = 2;
        r.memory = QStringLiteral("512m");
        r.disk = QStringLiteral("10g");
        r.time = QStringLiteral("2h");
        r.network = false;
        r.priority = 7;
        r.name = QStringLiteral("train-mnist");
        r.description = QStringLiteral("a first try");
        r.tags = QStringList { QStringLiteral("mnist"), QStringLiteral("baseline") };
        r.excludePatterns = QStringList { QStringLiteral("*.ckpt") };
        r.allowFailedDependencies = true;
        r.dependencies = { { QStringLiteral("data"), dataset + QStringLiteral("/train.csv"), dataset,
                               QStringLiteral("train.csv") },
            { QStringLiteral("all"), dataset, dataset, QString() } };
        const RunRequest back = RunRequest::fromBundle(submitAndFetch(client, r));
        CHECK(back.toClCommand() == r.toClCommand());
        CHECK(back.dependencies == r.dependencies);
        CHECK(back == r);
    }

    SECTION("the defaults cl run sends, and a dependency given by name comes back resolved")
    {
        RunRequest r;
        r.command = QStringLiteral("echo hello");
        r.name = QStringLiteral("run-echo");
        const RunRequest back = RunRequest::fromBundle(submitAndFetch(client, r));
        CHECK(back == r);
        CHECK_FALSE(back.priority); // sent as null, stored as 0, read back as none

        RunRequest byName = r;
        byName.dependencies = { *RunRequest::parseDependency(QStringLiteral("x:mnist/train.csv"), &error) };
        const RunRequest resolved = RunRequest::fromBundle(submitAndFetch(client, byName));
        REQUIRE(resolved.dependencies.size() == 1);
        CHECK(resolved.dependencies.first().key == QLatin1String("x"));
        CHECK(resolved.dependencies.first().parentUuid == dataset);
        CHECK(resolved.dependencies.first().target == dataset + QStringLiteral("/train.csv"));
    }
}

TEST_CASE("a bundle's stored nulls read back as the defaults", "[runrequest]")
{
    // As codalab-protocol.md 5.3: null metadata values come back as "" or 0.
    const QJsonObject bundle { { QStringLiteral("attributes"),
        QJsonObject { { QStringLiteral("command"), QStringLiteral("true") },
            { QStringLiteral("metadata"),
                QJsonObject { { QStringLiteral("name"), QStringLiteral("run-true") },
                    { QStringLiteral("request_docker_image"), QString() },
                    { QStringLiteral("request_cpus"), 0 }, { QStringLiteral("request_priority"), 0 },
                    { QStringLiteral("request_network"), QString() },
                    { QStringLiteral("request_time"), 3600 } } } } } };
    const RunRequest r = RunRequest::fromBundle(bundle);
    CHECK(r.command == QLatin1String("true"));
    CHECK(r.image.isEmpty());
    CHECK(r.cpus == 1);
    CHECK_FALSE(r.priority);
    CHECK(r.network);
    CHECK(r.time == QLatin1String("3600"));
    CHECK(r.validate().isEmpty());
    // Bare attributes, as a worker's run message carries them, read the same.
    CHECK(RunRequest::fromBundle(bundle[QLatin1String("attributes")].toObject()) == r);
}

TEST_CASE("a bundle's dependency never reads as a file of this computer", "[runrequest]")
{
    // Found by fuzz_jsonapi: a dependency without parent_uuid made the target "/conf/c.json", a local path,
    // and the cl command line began with "cl upload /conf/c.json".
    for (const QString &path : { QStringLiteral("conf/c.json"), QStringLiteral("/etc/passwd") }) {
        const QJsonObject bundle { { QStringLiteral("command"), QStringLiteral("true") },
            { QStringLiteral("dependencies"),
                QJsonArray { QJsonObject { { QStringLiteral("child_path"), QStringLiteral("c") },
                    { QStringLiteral("parent_path"), path } } } } };
        const RunRequest r = RunRequest::fromBundle(bundle);
        REQUIRE(r.dependencies.size() == 1);
        CHECK_FALSE(RunRequest::isLocalTarget(r.dependencies.first().target));
        CHECK(r.toClCommand().startsWith(QLatin1String("cl run ")));
    }
}
