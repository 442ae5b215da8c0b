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

TEST_CASE("with a fake nvidia-smi on PATH the GPUs are advertised and each run gets its own", "[worker][gpu]")
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
    REQUIRE(waitUntil(
        [&] {
            const auto workers = client->get(QStringLiteral("/rest/workers/info"))
                                     .json.object()
                                     .value(QLatin1String("data"))
                                     .toArray();
            return !workers.isEmpty() && workers.first().toObject().value(QLatin1String("gpus")).toInt() == 2;
        },
        20000));
    const QStringList runs { submitRun(*client, QStringLiteral("nvidia-smi"),
                                 { { QStringLiteral("request_gpus"), 1 } }),
        submitRun(*client, QStringLiteral("nvidia-smi"), { { QStringLiteral("request_gpus"), 1 } }) };
    for (const QString &uuid : runs) {
        const QJsonObject b
            = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") });
        // This Docker has no NVIDIA runtime, so the start fails, saying so: the request did reach it.
        CHECK(b.value(QLatin1String("metadata"))
                  .toObject()
                  .value(QLatin1String("failure_message"))
                  .toString()
                  .startsWith(QLatin1String("Cannot start Docker container: ")));
    }
    REQUIRE(assigned.size() == 2);
    QSet<QString> used;
    for (const QStringList &g : std::as_const(assigned)) {
        REQUIRE(g.size() == 1);
        CHECK(all->contains(g.first()));
        used.insert(g.first());
    }
    CHECK(used.size() == 2); // disjoint: one GPU each
    const QJsonArray statusGpus = h.worker->status().value(QLatin1String("gpus")).toArray();
    REQUIRE(statusGpus.size() == 2);
    CHECK(statusGpus.first().toObject().value(QLatin1String("name")).toString()
        == QLatin1String("NVIDIA H100 80GB HBM3"));
    qputenv("PATH", oldPath);
}
