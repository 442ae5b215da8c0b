// SPDX-License-Identifier: GPL-3.0-or-later
// A run's resource history: bounded however long the run lasts, persisted in its record, and kept in a
// file once the run left the worker.
#include "worker/runhistorystore.h"
#include "worker/runrecord.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab::worker;

namespace {

ResourceHistory::Sample sample(qint64 t, double cpu, qint64 mem, double gpuUtil = -1, qint64 gpuMem = -1)
{
    return { t, cpu, mem, gpuUtil, gpuMem };
}

QString uuidNumber(int i)
{
    return QStringLiteral("0x%1").arg(i, 32, 16, QLatin1Char('0'));
}

} // namespace

TEST_CASE(
    "at its cap the history merges pairs: CPU and GPU averaged, memory the maximum", "[worker][history]")
{
    ResourceHistory h(4);
    h.add(sample(1000, 10, 100, 50, 7));
    h.add(sample(2000, 30, 300, -1, -1)); // no GPU figure this time: the other one stands
    h.add(sample(3000, 50, 200, 20, 5));
    CHECK(h.points().size() == 3);
    CHECK(h.samplesPerPoint() == 1);
    h.add(sample(4000, 70, 50, 40, 9));
    // Four points reached the cap of 4: they became two, each standing for two samples.
    REQUIRE(h.points().size() == 2);
    CHECK(h.samplesPerPoint() == 2);
    const auto first = h.points().first();
    CHECK(first.t == 2000);
    CHECK(first.cpu == Approx(20));
    CHECK(first.mem == 300);
    CHECK(first.gpuUtil == Approx(50));
    CHECK(first.gpuMem == 7);
    CHECK(h.points().last().cpu == Approx(60));
    CHECK(h.points().last().gpuUtil == Approx(30));
    CHECK(h.points().last().mem == 200);

    // The next sample opens a point that fills up to two samples before another one starts.
    h.add(sample(5000, 0, 10));
    CHECK(h.points().size() == 3);
    h.add(sample(6000, 100, 20));
    CHECK(h.points().size() == 3);
    CHECK(h.points().last().cpu == Approx(50));
    CHECK(h.points().last().t == 6000);
    CHECK(h.points().last().gpuUtil == -1);
}

TEST_CASE("a history stays bounded however long the run lasts and keeps the whole span", "[worker][history]")
{
    ResourceHistory h;
    for (int i = 0; i < 200'000; ++i) {
        h.add(sample(i * 2000, i % 100, i));
    }
    CHECK(h.points().size() < ResourceHistory::DefaultCap);
    CHECK(h.points().size() >= ResourceHistory::DefaultCap / 2 - 1);
    CHECK(h.points().last().t == 199'999 * 2000);
    CHECK(h.points().last().mem == 199'999);
    // The first point still covers the run's start: memory is the maximum of its samples.
    CHECK(h.points().first().mem == h.samplesPerPoint() - 1);
}

TEST_CASE("the history survives the state file with the record", "[worker][history]")
{
    RunRecord r;
    r.uuid = uuidNumber(1);
    r.resources.dockerImage = QStringLiteral("busybox");
    r.gpuMemoryBytes = 1 << 20;
    r.gpuUtilization = 33;
    r.gpuMemoryTotalBytes = qint64(80) << 30;
    for (int i = 0; i < 1500; ++i) {
        r.history.add(sample(i, i % 7, i * 10, i % 3 ? 20 : -1, 4096));
    }
    QString error;
    const auto back = RunRecord::fromJson(r.toJson(), &error);
    REQUIRE(back);
    CHECK(back->gpuMemoryBytes == r.gpuMemoryBytes);
    CHECK(back->gpuUtilization == 33);
    CHECK(back->gpuMemoryTotalBytes == r.gpuMemoryTotalBytes);
    CHECK(back->history.samplesPerPoint() == r.history.samplesPerPoint());
    CHECK(back->history.samplesJson() == r.history.samplesJson());
    // Adding to the restored history goes on as the original would.
    RunRecord again = *back;
    r.history.add(sample(5000, 1, 1));
    again.history.add(sample(5000, 1, 1));
    CHECK(again.history.samplesJson() == r.history.samplesJson());

    // A record from before this field had no GPU figures: unknown, not zero.
    QJsonObject old = r.toJson();
    old.remove(QStringLiteral("gpu_memory"));
    old.remove(QStringLiteral("gpu_utilization"));
    old.remove(QStringLiteral("history"));
    const auto older = RunRecord::fromJson(old, &error);
    REQUIRE(older);
    CHECK(older->gpuMemoryBytes == -1);
    CHECK(older->gpuUtilization == -1);
    CHECK(older->history.points().isEmpty());
}

TEST_CASE("finished runs' histories are kept in files, the newest 200", "[worker][history]")
{
    QTemporaryDir dir;
    RunHistoryStore store(dir.filePath(QStringLiteral("history")), 3);
    RunRecord r;
    r.resources.memoryBytes = 1 << 30;
    r.history.add(sample(1000, 150, 4096, 80, 2048));
    QString error;
    for (int i = 1; i <= 5; ++i) {
        r.uuid = uuidNumber(i);
        REQUIRE(store.save(RunHistoryStore::document(r, true), &error));
        // Distinct times, so "newest" is well defined whatever the file system's resolution.
        QFile f(dir.filePath(QStringLiteral("history/%1.json").arg(r.uuid)));
        REQUIRE(f.open(QIODevice::ReadWrite));
        f.setFileTime(QDateTime::currentDateTime().addSecs(i - 10), QFileDevice::FileModificationTime);
    }
    CHECK(QDir(store.dir()).entryList(QDir::Files).size() == 3);
    CHECK_FALSE(store.load(uuidNumber(1), &error));
    CHECK_FALSE(store.load(uuidNumber(2), &error));
    CHECK(error.isEmpty());
    const auto doc = store.load(uuidNumber(5), &error);
    REQUIRE(doc);
    CHECK(doc->value(QLatin1String("uuid")).toString() == uuidNumber(5));
    CHECK(doc->value(QLatin1String("finished")).toBool());
    CHECK(doc->value(QLatin1String("memoryLimit")).toDouble() == 1 << 30);
    CHECK(doc->value(QLatin1String("gpuMemoryTotal")).toDouble() == 0);
    const QJsonObject s = doc->value(QLatin1String("samples")).toArray().first().toObject();
    CHECK(s.value(QLatin1String("t")).toDouble() == 1000);
    CHECK(s.value(QLatin1String("cpu")).toDouble() == 150);
    CHECK(s.value(QLatin1String("mem")).toDouble() == 4096);
    CHECK(s.value(QLatin1String("gpuUtil")).toDouble() == 80);
    CHECK(s.value(QLatin1String("gpuMem")).toDouble() == 2048);

    // A name that is not a bundle uuid never reaches the file system; a damaged file says what is wrong.
    CHECK_FALSE(store.load(QStringLiteral("../../etc/passwd"), &error));
    CHECK(error.isEmpty());
    QFile damaged(dir.filePath(QStringLiteral("history/%1.json").arg(uuidNumber(4))));
    REQUIRE(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
    damaged.write("{\"uuid\": ");
    damaged.close();
    CHECK_FALSE(store.load(uuidNumber(4), &error));
    CHECK(error.contains(QLatin1String("is not a run history")));
}
