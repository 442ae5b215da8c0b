// SPDX-License-Identifier: GPL-3.0-or-later
// GPUs with a fake nvidia-smi on PATH (no GPU on the test machines): advertised to the server, and each run
// handed exactly the GPU it was assigned.
#include "support/codalabtestdata.h"
#include "support/fakenvidiasmi.h"
#include "system/gpuprobe.h"
#include "worker/resourceallocator.h"
#include "worker/run.h"
#include "worker/workerharness.h"
#include "worker/workerprocess.h"

#include <QCoreApplication>
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
    FakeNvidiaSmi nvidiaSmi(QStringLiteral(FAKE_NVIDIA_SMI));
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
}

TEST_CASE("codalab-worker --gpu-report shows what the worker reads from nvidia-smi, and says when it cannot",
    "[worker][gpu]")
{
    FakeNvidiaSmi nvidiaSmi(QStringLiteral(FAKE_NVIDIA_SMI));
    // This test process, on GPU 1: a real pid, in no container (or in the test's own, if it runs in one).
    nvidiaSmi.setApps(QStringLiteral("%1, GPU-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b, 300\n")
                          .arg(QCoreApplication::applicationPid())
                          .toUtf8());
    WorkerOutcome o = runWorker({ QStringLiteral("--gpu-report") });
    INFO(o.out.toStdString() + o.err.toStdString());
    CHECK(o.exitCode == 0);
    CHECK(o.out.contains(
        "0  GPU-5c3d8b0e-1f2a-4b6c-9d7e-0a1b2c3d4e5f  NVIDIA H100 80GB HBM3  memory 1024 / 81559 MiB"));
    CHECK(o.out.contains(R"("DeviceIDs":["GPU-5c3d8b0e-1f2a-4b6c-9d7e-0a1b2c3d4e5f"])"));
    CHECK(o.out.contains(R"("Driver":"nvidia")"));
    CHECK(o.out.contains(
        QStringLiteral("pid %1  GPU-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b  memory 300 MiB  SM ?")
            .arg(QCoreApplication::applicationPid())
            .toUtf8()));
    CHECK(o.out.contains("The worker's parsers accept this nvidia-smi's output."));

    // Output the parsers do not understand is named, and the exit code says so.
    qputenv("FAKE_NVIDIA_SMI", "garbage");
    o = runWorker({ QStringLiteral("--gpu-report") });
    CHECK(o.exitCode == 1);
    CHECK(o.out.contains("PROBLEM: Unexpected nvidia-smi line: No devices were found"));

    // No nvidia-smi at all: nothing to check, and that is no failure (the fake puts PATH back after).
    QTemporaryDir empty;
    qputenv("PATH", QFile::encodeName(empty.path()));
    o = runWorker({ QStringLiteral("--gpu-report") });
    CHECK(o.exitCode == 0);
    CHECK(o.out.contains("No nvidia-smi on PATH"));
}
