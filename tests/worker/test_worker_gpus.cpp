// SPDX-License-Identifier: GPL-3.0-or-later
// GPUs with a fake nvidia-smi on PATH (no GPU on the test machines): advertised to the server, and each run
// handed exactly the GPU it was assigned.
#include "support/codalabtestdata.h"
#include "system/gpuprobe.h"
#include "worker/resourceallocator.h"
#include "worker/run.h"
#include "worker/workerharness.h"

#include <QDir>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::test;

TEST_CASE("with a fake nvidia-smi on PATH the GPUs are advertised and each run gets exactly its GPU",
    "[worker][gpu]")
{
    QTemporaryDir bin;
    REQUIRE(QFile::link(QStringLiteral(FAKE_NVIDIA_SMI), bin.filePath(QStringLiteral("nvidia-smi"))));
    const QByteArray oldPath = qgetenv("PATH");
    qputenv("PATH", QFile::encodeName(bin.path()) + ':' + oldPath);
    qputenv("FAKE_NVIDIA_SMI", "two");
    system::GpuProbe probe; // "nvidia-smi" from PATH, as the daemon runs it
    QSignalSpy probed(&probe, &system::GpuProbe::finished);
    probe.start();
    REQUIRE(probed.wait(20000));
    const auto gpus = probed.first().first().value<QList<system::GpuInfo>>();
    REQUIRE(gpus.size() == 2);
    QString error;
    const auto all = worker::ResourceAllocator::parseGpuset(QStringLiteral("ALL"), gpus, &error);
    REQUIRE(all);

    LocalServerFixture f;
    WorkerHarness h(f, [&](worker::WorkerConfig &c) {
        c.gpuUuids = *all;
        c.slotCount = 2;
        c.cpuset = { 0, 1 };
    });
    QHash<QString, QStringList> assigned;
    h.start();
    QObject::connect(h.worker.get(), &worker::Worker::runAdded, h.worker.get(), [&](worker::Run *run) {
        QObject::connect(run, &worker::Run::changed, run, [&assigned, run] {
            if (run->record().allocation && !run->record().containerId.isEmpty()) {
                assigned.insert(run->uuid(), run->record().allocation->gpuUuids);
            }
        });
    });
    auto client = f.root();
    // The server learns of the GPUs from the check-in.
    const auto gpusAdvertised = [&] {
        const auto workers = client->get(QStringLiteral("/rest/workers/info"))
                                 .json.object()
                                 .value(QLatin1String("data"))
                                 .toArray();
        return workers.isEmpty() ? -1 : workers.first().toObject().value(QLatin1String("gpus")).toInt();
    };
    const auto runOnOneGpu = [&] {
        const QString uuid
            = submitRun(*client, QStringLiteral("nvidia-smi"), { { QStringLiteral("request_gpus"), 1 } });
        const QJsonObject b
            = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") });
        // This Docker has no NVIDIA runtime, so the start fails, saying so: the request did reach it.
        CHECK(b.value(QLatin1String("metadata"))
                  .toObject()
                  .value(QLatin1String("failure_message"))
                  .toString()
                  .startsWith(QLatin1String("Cannot start Docker container: ")));
        return assigned.value(uuid);
    };
    REQUIRE(waitUntil([&] { return gpusAdvertised() == 2; }, 20000));
    CHECK(runOnOneGpu() == QStringList { all->at(0) });
    // Switched off, GPU 0 is no longer offered: the server hears of one GPU and the next run gets GPU 1.
    h.worker->setGpuEnabled(all->at(0), false);
    REQUIRE(waitUntil([&] { return gpusAdvertised() == 1; }, 20000));
    CHECK(runOnOneGpu() == QStringList { all->at(1) });
    const QJsonArray statusGpus = h.worker->status().value(QLatin1String("gpus")).toArray();
    REQUIRE(statusGpus.size() == 2);
    CHECK(statusGpus.first().toObject().value(QLatin1String("name")).toString()
        == QLatin1String("NVIDIA H100 80GB HBM3"));
    CHECK_FALSE(statusGpus.first().toObject().value(QLatin1String("enabled")).toBool());
    CHECK(statusGpus.last().toObject().value(QLatin1String("enabled")).toBool());
    qputenv("PATH", oldPath);
}
