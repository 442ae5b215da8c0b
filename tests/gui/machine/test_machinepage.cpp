// SPDX-License-Identifier: GPL-3.0-or-later
// The machine page against a real codalab-worker --local whose nvidia-smi is the fake one (two H100s):
// CPU, memory, disk, GPUs and Docker from the worker and the daemon; live only while shown.
#include "common/workerlink.h"
#include "docker/dockerclient.h"
#include "machine/dockerpanel.h"
#include "machine/gpumodel.h"
#include "machine/imagelistmodel.h"
#include "machine/machinepage.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"
#include "worker/controlserver.h"

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;
using codalab::ui::GpuModel;

namespace {

/// The fake nvidia-smi first on PATH for what this process starts while it lives.
struct FakeGpus
{
    QTemporaryDir bin;
    QByteArray oldPath = qgetenv("PATH");

    FakeGpus()
    {
        REQUIRE(QFile::link(QStringLiteral(FAKE_NVIDIA_SMI), bin.filePath(QStringLiteral("nvidia-smi"))));
        qputenv("PATH", QFile::encodeName(bin.path()) + ':' + oldPath);
        qputenv("FAKE_NVIDIA_SMI", "two");
    }
    ~FakeGpus() { qputenv("PATH", oldPath); }
};

} // namespace

TEST_CASE(
    "the machine page shows the worker's machine and keeps it live while shown", "[gui][machine][worker]")
{
    FakeGpus gpus;
    test::WorkerProcess worker;
    worker.waitReady();
    ui::WorkerLink link;
    link.setSocketPath(worker.socketPath());
    docker::DockerClient docker;
    ui::MachinePage page(&link, &docker);
    page.setRefreshIntervalMs(300);
    QSignalSpy dockerChecked(&page, &ui::MachinePage::dockerChecked);
    QSignalSpy probes(&page, &ui::MachinePage::probeRequested);
    page.resize(1000, 900);
    page.show();
    REQUIRE(spinUntil([&] { return !page.showsEmptyState() && page.gpuModel()->rowCount() == 2; }, 20000));

    CHECK(page.cpuText().contains(
        QRegularExpression(QStringLiteral(" — \\d+ thread\\(s\\); runs may use CPUs \\d"))));
    CHECK(page.memoryText().contains(
        QRegularExpression(QStringLiteral("^\\d+(\\.\\d)? [KMGT]iB available of \\d+(\\.\\d)? [KMGT]iB$"))));
    CHECK(page.diskText().contains(
        QRegularExpression(QStringLiteral("^\\d+(\\.\\d)? [KMGT]?i?B free of \\d"))));
    GpuModel *model = page.gpuModel();
    CHECK(model->index(0, GpuModel::NameColumn).data().toString() == QLatin1String("NVIDIA H100 80GB HBM3"));
    CHECK(model->index(0, GpuModel::UtilizationColumn).data().toString() == QLatin1String("37 %"));
    CHECK(model->index(1, GpuModel::DriverColumn).data().toString() == QLatin1String("550.54.15"));
    CHECK(model->index(1, GpuModel::EnabledColumn).data().toString() == QLatin1String("Yes"));
    REQUIRE((!dockerChecked.isEmpty() || dockerChecked.wait(20000)));
    CHECK(page.dockerText().contains(
        QRegularExpression(QStringLiteral("^Docker \\d+\\.\\d+.* \\(API 1\\.\\d+\\)"))));
    CHECK(page.dockerText().contains(docker.endpoint().describe()));
    CHECK_FALSE(page.dockerText().contains(QLatin1String("The worker uses"))); // the same engine: said once
    // The local images and the self-check are on the page, not only in a separate pane.
    REQUIRE(page.dockerPanel()->isVisibleTo(&page));
    CHECK(page.dockerPanel()->imageModel()->rowCount() > 0);
    CHECK(test::findButton(&page, QStringLiteral("Run a test container")));

    // Unticking a GPU asks the worker; the next status shows it off.
    REQUIRE(model->setData(model->index(1, GpuModel::EnabledColumn), int(Qt::Unchecked), Qt::CheckStateRole));
    REQUIRE(spinUntil(
        [&] { return model->index(1, GpuModel::EnabledColumn).data().toString() == QLatin1String("No"); },
        10000));

    // Live while shown: the worker is asked to probe again and again...
    CHECK(page.isLive());
    const qsizetype before = probes.size();
    REQUIRE(spinUntil([&] { return probes.size() >= before + 2; }, 10000));
    test::saveScreenshot(&page, QStringLiteral("machine.png"));
    // ...and not at all once hidden.
    page.hide();
    CHECK_FALSE(page.isLive());
    const qsizetype hidden = probes.size();
    QTest::qWait(1000);
    CHECK(probes.size() == hidden);
    page.show();
    CHECK(page.isLive());
    CHECK(probes.size() == hidden + 1); // at once on showing
}

TEST_CASE("with no worker the machine page says so", "[gui][machine]")
{
    QTemporaryDir dir;
    ui::WorkerLink link;
    link.setSocketPath(dir.filePath(QStringLiteral("none.sock")));
    docker::DockerClient docker;
    ui::MachinePage page(&link, &docker);
    page.setRefreshIntervalMs(100);
    page.show();
    CHECK(page.showsEmptyState());
    CHECK(page.gpuModel()->rowCount() == 0);
    QSignalSpy probes(&page, &ui::MachinePage::probeRequested);
    QTest::qWait(500);
    CHECK(probes.isEmpty()); // nothing to ask
}

TEST_CASE("only a worker without probeMachine is asked for its status instead", "[gui][machine]")
{
    // A scripted control socket: probeMachine fails as `probeError` says; status answers a small machine.
    QTemporaryDir dir;
    int probeError = worker::ControlError::InternalError;
    int probeCalls = 0;
    int statusCalls = 0;
    const QJsonObject status { { QStringLiteral("machine"),
        QJsonObject { { QStringLiteral("cpu_model"), QStringLiteral("Test CPU") },
            { QStringLiteral("cpu_threads"), 4 } } } };
    worker::ControlServer server(dir.filePath(QStringLiteral("w.sock")),
        [&](const QString &method, const QJsonValue &, worker::ControlError *error) -> QJsonValue {
            if (method == QLatin1String("probeMachine")) {
                ++probeCalls;
                *error = probeError == worker::ControlError::MethodNotFound
                    ? worker::ControlError::methodNotFound(method)
                    : worker::ControlError::make(probeError, QStringLiteral("did not answer in time"));
                return {};
            }
            if (method == QLatin1String("status")) {
                ++statusCalls;
                return status;
            }
            *error = worker::ControlError::methodNotFound(method);
            return {};
        });
    QString why;
    REQUIRE(server.listen(&why));
    ui::WorkerLink link;
    link.setSocketPath(server.socketPath());
    docker::DockerClient docker;
    ui::MachinePage page(&link, &docker);
    page.setRefreshIntervalMs(50);
    page.show();
    REQUIRE(spinUntil([&] { return !page.showsEmptyState(); }, 10000));
    CHECK(page.cpuText().startsWith(QStringLiteral("Test CPU — 4 thread(s)")));

    // A timeout (or any failure but "method not found") is no reason to stop probing.
    probeError = worker::ControlError::TransportError;
    const int failedBefore = probeCalls;
    REQUIRE(spinUntil([&] { return probeCalls >= failedBefore + 3; }, 10000));
    CHECK_FALSE(page.probeUnsupported());

    // An older worker without the method: status from then on, and probeMachine never again.
    probeError = worker::ControlError::MethodNotFound;
    REQUIRE(spinUntil([&] { return page.probeUnsupported(); }, 10000));
    const int probesAtSwitch = probeCalls;
    const int statusAtSwitch = statusCalls;
    REQUIRE(spinUntil([&] { return statusCalls >= statusAtSwitch + 3; }, 10000));
    CHECK(probeCalls == probesAtSwitch);
}
