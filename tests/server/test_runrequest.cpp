// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/runrequest.h"

#include <QJsonArray>

#include <catch2/catch.hpp>

using codalab::server::RunRequest;

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
}
