// SPDX-License-Identifier: GPL-3.0-or-later
// The machine page against a real codalab-worker --local whose nvidia-smi is the fake one (two H100s):
// CPU, memory, disk, GPUs and Docker from the worker and the daemon; live only while shown.
#include "common/workerlink.h"
#include "docker/dockerclient.h"
#include "machine/gpumodel.h"
#include "machine/machinepage.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

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
    page.resize(1000, 650);
    page.show();
    REQUIRE(spinUntil([&] { return !page.showsEmptyState() && page.gpuModel()->rowCount() == 2; }, 20000));

    CHECK(page.cpuText().contains(
        QRegularExpression(QStringLiteral(" — \\d+ threads?; runs may use CPUs \\d"))));
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
    CHECK(page.dockerText().contains(QLatin1String("(the worker's)")));

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
