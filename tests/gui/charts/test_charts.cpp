// SPDX-License-Identifier: GPL-3.0-or-later
// Resource charts: the time-series chart's bounds and tool tips, and a real worker's run and machine
// histories drawn live on the Dashboard and the Machine page, GPU use included (fake nvidia-smi naming the
// run's real container process).
#include "charts/machinehistorycharts.h"
#include "charts/runresourcecharts.h"
#include "charts/timeserieschart.h"
#include "common/workerlink.h"
#include "dashboard/containermodel.h"
#include "dashboard/dashboardpage.h"
#include "docker/dockerclient.h"
#include "machine/machinepage.h"
#include "server/runrequest.h"
#include "server/runsubmission.h"
#include "support/clientsession.h"
#include "support/fakenvidiasmi.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QLocale>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;
using codalab::ui::TimeSeriesChart;

namespace {

/// The main process of a run's container, as Docker knows it.
qint64 containerPid(const QString &uuid)
{
    QProcess docker;
    docker.start(QStringLiteral("docker"),
        { QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{.State.Pid}}"),
            QStringLiteral("codalab_run_") + uuid });
    REQUIRE(docker.waitForFinished(20000));
    return docker.readAllStandardOutput().trimmed().toLongLong();
}

bool anyPointAt(const TimeSeriesChart *chart, const QString &key, double value)
{
    const QList<QPointF> points = chart->points(key);
    return std::any_of(
        points.cbegin(), points.cend(), [value](const QPointF &p) { return qFuzzyCompare(p.y(), value); });
}

} // namespace

TEST_CASE("a chart names the nearest sample's value and time, and stays bounded", "[gui][charts]")
{
    TimeSeriesChart chart(QStringLiteral("CPU"), [](double v) { return QStringLiteral("%1 %").arg(v); });
    chart.addLine(QStringLiteral("cpu"), QStringLiteral("CPU"), Qt::blue);
    const qint64 t0 = QDateTime(QDate(2026, 12, 6), QTime(14, 2, 10)).toMSecsSinceEpoch();
    chart.setPoints(QStringLiteral("cpu"), { QPointF(double(t0), 45), QPointF(double(t0 + 10000), 80) });
    // Hovering between the two names the nearer sample, not an invented value.
    CHECK(chart.toolTipText(QStringLiteral("cpu"), QPointF(double(t0 + 2000), 60))
        == QStringLiteral("CPU: 45 % at ") + QLocale().toString(QTime(14, 2, 10), QLocale::LongFormat));
    CHECK(chart.toolTipText(QStringLiteral("cpu"), QPointF(double(t0 + 9000), 60))
              .startsWith(QLatin1String("CPU: 80 %")));

    // A week-long run's worth of live samples costs what an hour does.
    for (int i = 0; i < 5000; ++i) {
        chart.append(QStringLiteral("cpu"), QPointF(double(t0 + 20000 + i * 1000), i % 100));
    }
    const QList<QPointF> points = chart.points(QStringLiteral("cpu"));
    CHECK(points.size() <= TimeSeriesChart::MaxPoints);
    CHECK(points.size() > TimeSeriesChart::MaxPoints / 4);
    CHECK(points.first().x() == double(t0)); // the start stays where it was
    CHECK(points.last().x() >= double(t0 + 20000 + 4990 * 1000));
}

TEST_CASE(
    "a run's CPU, memory and GPU use are charted live, and still after it ended", "[gui][charts][worker]")
{
    test::FakeNvidiaSmi nvidiaSmi(QStringLiteral(FAKE_NVIDIA_SMI));

    test::WorkerProcess worker;
    worker.waitReady();
    ui::WorkerLink link;
    link.setReconnectIntervalMs(100);
    link.setSocketPath(worker.socketPath());
    ui::DashboardPage dashboard(&link);
    dashboard.resize(1100, 800);
    dashboard.show();
    docker::DockerClient docker;
    ui::MachinePage machine(&link, &docker);
    machine.resize(1100, 800);
    REQUIRE(spinUntil([&] { return link.isConnected(); }, 15000));

    test::ClientSession session(worker.serverUrl(), QStringLiteral("codalab"), worker.password());
    server::RunRequest request;
    request.command = QStringLiteral(
        "while [ ! -e stop-now ]; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; done");
    request.image = QStringLiteral("codalab-test/busybox:latest");
    request.memory = QStringLiteral("512m");
    request.time = QStringLiteral("1h");
    server::RunSubmission *submission = session.client.submitRun(request);
    QSignalSpy submitted(submission, &server::RunSubmission::finished);
    REQUIRE(submitted.wait(30000));
    const QString uuid = submission->bundleUuid();
    REQUIRE_FALSE(uuid.isEmpty());

    // Nothing selected: the Dashboard charts the newest run, live.
    ui::RunResourceCharts *charts = dashboard.resourceCharts();
    REQUIRE(spinUntil([&] { return charts->run() == uuid && charts->hasHistory(); }, 60000));
    REQUIRE(spinUntil([&] { return charts->cpuChart()->points(QStringLiteral("cpu")).size() >= 3; }, 30000));
    const QList<QPointF> memory = charts->memoryChart()->points(QStringLiteral("limit"));
    REQUIRE_FALSE(memory.isEmpty());
    CHECK(memory.last().y() == Approx(0.5)); // 512m, in GiB
    CHECK_FALSE(charts->showsGpu()); // no GPU process of this run yet

    // nvidia-smi now names the container's main process on GPU 0 with 1234 MiB and 42 %.
    QString runDir;
    for (const QJsonValue &v : link.status().value(QLatin1String("runs")).toArray()) {
        if (v[QLatin1String("uuid")].toString() == uuid) {
            runDir = v[QLatin1String("run_dir")].toString();
        }
    }
    REQUIRE_FALSE(runDir.isEmpty());
    const qint64 pid = containerPid(uuid);
    REQUIRE(pid > 0);
    nvidiaSmi.setApps(QStringLiteral("%1, %2, 1234\n").arg(pid).arg(test::FakeNvidiaSmi::gpu0()).toUtf8());
    nvidiaSmi.setPmon(QStringLiteral("# gpu        pid  type    sm   mem   enc   dec    fb   command\n"
                                     "# Idx          #   C/G     %     %     %     %    MB   name\n"
                                     "    0 %1     C    42    10     -     -  1234   bash\n")
                          .arg(pid)
                          .toUtf8());
    REQUIRE(spinUntil([&] { return anyPointAt(charts->gpuChart(), QStringLiteral("gpuUtil"), 42); }, 30000));
    CHECK(charts->showsGpu());
    CHECK(anyPointAt(charts->gpuMemoryChart(), QStringLiteral("gpuMem"), 1234.0 / 1024));
    // And in the containers table, as the run's own figures.
    ui::ContainerModel *containers = dashboard.containerModel();
    REQUIRE(spinUntil(
        [&] {
            return containers->rowCount() == 1
                && containers->index(0, ui::ContainerModel::GpuUseColumn).data().toString()
                == QStringLiteral("42 % · 1.2 GiB");
        },
        30000));
    test::saveScreenshot(&dashboard, QStringLiteral("dashboard-run-charts.png"));

    // The Machine page's last hour, with each GPU of the machine.
    machine.show();
    ui::MachineHistoryCharts *history = machine.historyCharts();
    REQUIRE(spinUntil([&] { return history->sampleCount() >= 1; }, 30000));
    CHECK_FALSE(history->memoryChart()->points(QStringLiteral("total")).isEmpty());
    CHECK(history->memoryChart()->points(QStringLiteral("total")).last().y() > 0);
    CHECK(history->gpuChart()->isVisibleTo(&machine));
    test::saveScreenshot(&machine, QStringLiteral("machine-history.png"));

    // The run ends; its charts are still there (the worker keeps the history), and for a new view too.
    QFile stop(runDir + QStringLiteral("/stop-now"));
    REQUIRE(stop.open(QIODevice::WriteOnly));
    stop.close();
    REQUIRE(spinUntil(
        [&] {
            for (const QJsonValue &v : link.status().value(QLatin1String("runs")).toArray()) {
                if (v[QLatin1String("uuid")].toString() == uuid) {
                    return false;
                }
            }
            return true;
        },
        60000));
    ui::RunResourceCharts later(&link);
    QSignalSpy loaded(&later, &ui::RunResourceCharts::loaded);
    later.setRun(uuid);
    REQUIRE(loaded.wait(10000));
    CHECK(loaded.first().first().toBool());
    CHECK(later.cpuChart()->points(QStringLiteral("cpu")).size() >= 3);
    CHECK(later.showsGpu());

    // A run this worker never had says so instead of empty charts.
    later.setRun(QStringLiteral("0x00000000000000000000000000000000"));
    REQUIRE(loaded.wait(10000));
    CHECK_FALSE(loaded.last().first().toBool());
    CHECK(later.message().startsWith(QLatin1String("No resource history")));
}
