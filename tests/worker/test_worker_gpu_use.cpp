// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #15 on a real dockerd with a fake nvidia-smi: a run's GPU processes (the fake names the container's
// real main pid) show in its status and resource history; the history answers on the control socket while
// the run runs, after a worker restart, after the run finished and after another restart; and the machine's
// history holds sane figures and the fake's GPUs.
#include "support/codalabtestdata.h"
#include "support/dockertestenv.h"
#include "support/fakenvidiasmi.h"
#include "worker/controlcall.h"
#include "worker/controlclient.h"
#include "worker/run.h"
#include "worker/workercontrol.h"
#include "worker/workerharness.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSaveFile>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::test;

namespace {

constexpr qint64 MiB = 1024 * 1024;
const QString gpu0 = FakeNvidiaSmi::gpu0();

struct ControlResult
{
    QJsonValue result;
    worker::ControlError error;
};

ControlResult callOver(worker::ControlClient &client, const QString &method, const QJsonValue &params = {})
{
    worker::ControlCall *call = client.call(method, params);
    QSignalSpy done(call, &worker::ControlCall::finished);
    REQUIRE(done.wait(20000));
    return { done.first().at(0).value<QJsonValue>(), done.first().at(1).value<worker::ControlError>() };
}

/// The worker's control socket with a subscribed client, for the worker the harness runs now.
struct Control
{
    Control(worker::Worker *worker, const QString &path)
        : server(worker, path)
    {
        REQUIRE(server.listen(nullptr));
        QSignalSpy connected(&client, &worker::ControlClient::connected);
        client.connectToServer(path);
        REQUIRE(connected.wait(20000));
        callOver(client, QStringLiteral("subscribe"));
    }
    QJsonObject history(const QString &uuid)
    {
        const ControlResult r = callOver(
            client, QStringLiteral("runHistory"), QJsonObject { { QStringLiteral("uuid"), uuid } });
        INFO(r.error.message.toStdString());
        REQUIRE_FALSE(r.error);
        return r.result.toObject();
    }
    worker::WorkerControl server;
    worker::ControlClient client;
};

bool hasGpuSample(const QJsonObject &history, double gpuMem, double gpuUtil)
{
    for (const QJsonValue &s : history.value(QLatin1String("samples")).toArray()) {
        if (s[QLatin1String("gpuMem")].toDouble() == gpuMem
            && s[QLatin1String("gpuUtil")].toDouble() == gpuUtil && s[QLatin1String("t")].toDouble() > 0
            && s[QLatin1String("mem")].toDouble() > 0) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST_CASE("a run's GPU processes show in its status and resource history, which outlives the run",
    "[worker][gpu][history]")
{
    FakeNvidiaSmi nvidiaSmi(QStringLiteral(FAKE_NVIDIA_SMI));
    QTemporaryDir bin;

    LocalServerFixture f;
    WorkerHarness h(f);
    h.start();
    const QString socket = bin.filePath(QStringLiteral("control.sock"));
    auto control = std::make_unique<Control>(h.worker.get(), socket);
    QSignalSpy events(&control->client, &worker::ControlClient::eventReceived);

    auto client = f.root();
    // The run ends when the test says so, by a file in its run directory.
    const QString uuid = submitRun(*client, QStringLiteral("while [ ! -e stop-now ]; do sleep 0.2; done"));
    waitForState(*client, uuid, { QStringLiteral("running") });
    worker::Run *run = nullptr;
    REQUIRE(waitUntil(
        [&] {
            run = h.worker->run(uuid);
            return run && run->stage() == worker::RunStage::Running && !run->record().containerId.isEmpty();
        },
        30000));
    const QString runDir = run->runDir();
    const docker::DockerResult inspected = waitReply(h.docker.inspectContainer(run->record().containerId));
    REQUIRE_FALSE(inspected.error);
    const qint64 pid = inspected.json[QLatin1String("State")][QLatin1String("Pid")].toInteger();
    REQUIRE(pid > 0);

    // Before nvidia-smi lists any process of the container, it uses no GPU: zero, not unknown.
    const auto runStatus
        = [&] { return h.worker->status().value(QLatin1String("runs")).toArray().first().toObject(); };
    REQUIRE(waitUntil(
        [&] { return runStatus().value(QLatin1String("gpu_memory_bytes")).toDouble() == 0; }, 20000));
    CHECK(runStatus().value(QLatin1String("gpu_utilization")).toInt() == 0);

    // nvidia-smi now names the container's main process on GPU 0 (and a process of no container).
    nvidiaSmi.setApps(QStringLiteral("%1, %2, 1234\n1, %2, 99\n").arg(pid).arg(gpu0).toUtf8());
    nvidiaSmi.setPmon(QStringLiteral("# gpu        pid  type    sm   mem   enc   dec    fb   command\n"
                                     "# Idx          #   C/G     %     %     %     %    MB   name\n"
                                     "    0 %1     C    42    10     -     -  1234   bash\n"
                                     "    1          -     -     -     -     -     -     -   -\n")
                          .arg(pid)
                          .toUtf8());
    REQUIRE(waitUntil(
        [&] { return runStatus().value(QLatin1String("gpu_memory_bytes")).toDouble() == 1234.0 * MiB; },
        20000));
    CHECK(runStatus().value(QLatin1String("gpu_utilization")).toInt() == 42);
    REQUIRE(waitUntil([&] { return hasGpuSample(control->history(uuid), 1234.0 * MiB, 42); }, 20000));
    const QJsonObject live = control->history(uuid);
    CHECK(live.value(QLatin1String("uuid")).toString() == uuid);
    CHECK_FALSE(live.value(QLatin1String("finished")).toBool());
    CHECK(live.value(QLatin1String("memoryLimit")).toDouble() > 0); // the run's request_memory
    CHECK(
        live.value(QLatin1String("gpuMemoryTotal")).toDouble() == 81559.0 * MiB); // the GPU its process is on
    for (const QJsonValue &s : live.value(QLatin1String("samples")).toArray()) {
        CHECK(s[QLatin1String("cpu")].toDouble() >= 0);
    }
    // Each sample also came as an event, so a chart can append without polling.
    REQUIRE(waitUntil(
        [&] {
            return std::any_of(events.begin(), events.end(), [&](const QList<QVariant> &e) {
                const QJsonValue data = e.at(1).value<QJsonValue>();
                return e.at(0).toString() == QLatin1String("runSample")
                    && data[QLatin1String("uuid")].toString() == uuid
                    && data[QLatin1String("sample")][QLatin1String("gpuMem")].toDouble() == 1234.0 * MiB;
            });
        },
        20000));

    // The machine's history: sane figures and the fake's two GPUs; a probe brings a machineSample event.
    const QJsonObject machine = callOver(control->client, QStringLiteral("machineHistory")).result.toObject();
    CHECK(machine.value(QLatin1String("intervalMs")).toInt() == 10000);
    const QJsonArray machineSamples = machine.value(QLatin1String("samples")).toArray();
    REQUIRE_FALSE(machineSamples.isEmpty());
    const QJsonObject m = machineSamples.last().toObject();
    CHECK(m.value(QLatin1String("memTotal")).toDouble() > 0);
    CHECK(m.value(QLatin1String("cpu")).toDouble() >= 0);
    CHECK(m.value(QLatin1String("cpu")).toDouble() <= 100);
    CHECK(m.value(QLatin1String("diskTotal")).toDouble() > 0);
    const QJsonArray gpus = m.value(QLatin1String("gpus")).toArray();
    REQUIRE(gpus.size() == 2);
    CHECK(gpus.first()[QLatin1String("uuid")].toString() == gpu0);
    CHECK(gpus.first()[QLatin1String("name")].toString() == QLatin1String("NVIDIA H100 80GB HBM3"));
    CHECK(gpus.first()[QLatin1String("util")].toInt() == 37);
    CHECK(gpus.first()[QLatin1String("memUsed")].toDouble() == 1024.0 * MiB);
    callOver(control->client, QStringLiteral("probeMachine"));
    REQUIRE(waitUntil(
        [&] {
            return std::any_of(events.begin(), events.end(), [](const QList<QVariant> &e) {
                return e.at(0).toString() == QLatin1String("machineSample")
                    && e.at(1)
                           .value<QJsonValue>()[QLatin1String("sample")][QLatin1String("memTotal")]
                           .toDouble()
                    > 0;
            });
        },
        20000));

    // A uuid this worker never ran: a clear error.
    const QString stranger = QStringLiteral("0x") + QString(32, QLatin1Char('e'));
    const ControlResult unknown = callOver(
        control->client, QStringLiteral("runHistory"), QJsonObject { { QStringLiteral("uuid"), stranger } });
    CHECK(unknown.error.code == 1);
    CHECK(unknown.error.message == QStringLiteral("no resource history for run ") + stranger);

    // A restarted worker keeps the history from its state file while the run goes on.
    control.reset();
    h.drop();
    h.start();
    control = std::make_unique<Control>(h.worker.get(), socket);
    CHECK(hasGpuSample(control->history(uuid), 1234.0 * MiB, 42));

    // Once finished and gone from the worker, the history is read from its file, also after a restart.
    QSignalSpy endEvents(&control->client, &worker::ControlClient::eventReceived);
    QFile stop(runDir + QStringLiteral("/stop-now"));
    REQUIRE(stop.open(QIODevice::WriteOnly));
    stop.close();
    const QJsonObject b = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") });
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("ready"));
    REQUIRE(waitUntil([&] { return h.worker->runs().isEmpty(); }, 20000));
    // Leaving, it said so at once (runEnded, with its exit code): the desktop's "run finished" does not
    // depend on a status catching its last stages.
    const auto ended = std::find_if(endEvents.cbegin(), endEvents.cend(),
        [](const QList<QVariant> &e) { return e.at(0).toString() == QLatin1String("runEnded"); });
    REQUIRE(ended != endEvents.cend());
    const QJsonValue endedRun = ended->at(1).value<QJsonValue>();
    CHECK(endedRun[QLatin1String("uuid")].toString() == uuid);
    CHECK(endedRun[QLatin1String("exitcode")].toInt(-1) == 0);
    CHECK(endedRun[QLatin1String("failure_message")].toString().isEmpty());
    CHECK(QFile::exists(h.config.workDir + QStringLiteral("/history/") + uuid + QStringLiteral(".json")));
    QJsonObject done = control->history(uuid);
    CHECK(done.value(QLatin1String("finished")).toBool());
    CHECK(hasGpuSample(done, 1234.0 * MiB, 42));
    control.reset();
    h.drop();
    h.start();
    control = std::make_unique<Control>(h.worker.get(), socket);
    done = control->history(uuid);
    CHECK(done.value(QLatin1String("finished")).toBool());
    CHECK(hasGpuSample(done, 1234.0 * MiB, 42));
    control.reset();
}
