// SPDX-License-Identifier: GPL-3.0-or-later
// Time, memory and disk limits enforced on real containers, and N+1 runs on N slots.
#include "support/codalabtestdata.h"
#include "worker/run.h"
#include "worker/workerharness.h"

#include <QJsonDocument>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::test;

namespace {
QString failureOf(const QJsonObject &b)
{
    return metadata(b, "failure_message").toString();
}
const QStringList Final { QStringLiteral("ready"), QStringLiteral("failed"), QStringLiteral("killed") };
} // namespace

TEST_CASE("a run over its time limit is stopped and fails saying so", "[worker][limits]")
{
    LocalServerFixture f;
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    const QString uuid = submitRun(
        *client, QStringLiteral("sleep 60"), { { QStringLiteral("request_time"), QStringLiteral("2s") } });
    const QJsonObject b = waitForState(*client, uuid, Final, 40000);
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("failed"));
    CHECK(failureOf(b).startsWith(QLatin1String("Time limit exceeded. (Container uptime ")));
    CHECK(failureOf(b).contains(QLatin1String("> time limit 2.0s)")));
}

TEST_CASE("a run over its memory limit is killed by the kernel and fails saying so", "[worker][limits]")
{
    LocalServerFixture f;
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    // bash holds the whole 200 MB string in memory; the container may use 32 MB and no swap.
    const QString uuid
        = submitRun(*client, QStringLiteral("x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}"),
            { { QStringLiteral("request_memory"), QStringLiteral("32m") } });
    const QJsonObject b = waitForState(*client, uuid, Final, 60000);
    INFO(QJsonDocument(b).toJson().toStdString());
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("failed"));
    // Upstream's words: size_str's "32m", joined after whatever the container wrote to stderr and its
    // newline.
    const QString failure = failureOf(b);
    CHECK(failure.endsWith(QLatin1String("Memory limit 32m exceeded.")));
    CHECK((failure == QLatin1String("Memory limit 32m exceeded.")
        || failure.endsWith(QLatin1String("\n. Memory limit 32m exceeded."))));
}

TEST_CASE(
    "what bash itself writes to the container's stderr is the failure, newline and all", "[worker][limits]")
{
    LocalServerFixture f;
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    // The command is wrapped as `( cmd ) >stdout 2>stderr`: a syntax error is bash's, on the container's
    // stderr.
    const QString uuid = submitRun(*client, QStringLiteral("echo ("));
    const QJsonObject b = waitForState(*client, uuid, Final, 40000);
    INFO(QJsonDocument(b).toJson().toStdString());
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("failed"));
    const QString failure = failureOf(b);
    CHECK(failure.contains(QLatin1String("syntax error")));
    CHECK(failure.endsWith(QLatin1Char('\n'))); // untrimmed, as upstream's worker stores it
}

TEST_CASE("a run writing past its disk limit is stopped and fails saying so", "[worker][limits]")
{
    LocalServerFixture f;
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    const QString uuid = submitRun(*client, QStringLiteral("head -c 3000000 /dev/zero > big; sleep 60"),
        { { QStringLiteral("request_disk"), QStringLiteral("1m") } });
    const QJsonObject b = waitForState(*client, uuid, Final, 40000);
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("failed"));
    CHECK(failureOf(b).contains(QLatin1String("Disk limit 1mb exceeded.")));
}

TEST_CASE("N+1 runs on N slots: one waits, each slot has its own CPUs, all finish", "[worker][slots]")
{
    LocalServerFixture f;
    WorkerHarness h(f, [](worker::WorkerConfig &c) {
        c.slotCount = 2;
        c.cpuset = { 0, 1 };
    });
    h.start();
    auto client = f.root();
    QStringList uuids;
    for (int i = 0; i < 3; ++i) {
        uuids << submitRun(*client,
            QStringLiteral("cat /sys/fs/cgroup/cpuset/cpuset.cpus 2>/dev/null || cat "
                           "/sys/fs/cgroup/cpuset.cpus.effective; sleep 3"));
    }
    int mostAtOnce = 0;
    QSet<QString> cpusSeen;
    const bool allDone = waitUntil(
        [&] {
            int running = 0;
            for (worker::Run *r : h.worker->runs()) {
                if (r->record().allocation) {
                    ++running;
                    cpusSeen.insert(QString::number(r->record().allocation->cpus.value(0)));
                }
            }
            mostAtOnce = qMax(mostAtOnce, running);
            int done = 0;
            for (const QString &u : uuids) {
                done += Final.contains(bundle(*client, u).value(QLatin1String("state")).toString()) ? 1 : 0;
            }
            return done == 3;
        },
        90000);
    REQUIRE(allDone);
    CHECK(mostAtOnce == 2);
    CHECK(cpusSeen == QSet<QString> { QStringLiteral("0"), QStringLiteral("1") });
    QSet<QByteArray> cpusets;
    for (const QString &u : uuids) {
        CHECK(bundle(*client, u).value(QLatin1String("state")).toString() == QLatin1String("ready"));
        cpusets.insert(readBundleFile(*client, u, QStringLiteral("stdout")).trimmed());
    }
    CHECK(cpusets == QSet<QByteArray> { "0", "1" });
}
