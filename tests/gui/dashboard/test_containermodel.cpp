// SPDX-License-Identifier: GPL-3.0-or-later
// ContainerModel from worker statuses: which runs are shown, exact cell texts, rows keyed by uuid and
// updated in place so a selection survives.
#include "common/usernames.h"
#include "dashboard/containermodel.h"
#include "dashboard/statusfixture.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QSignalSpy>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::test::dashboard;
using codalab::ui::ContainerModel;

namespace {
QString text(const ContainerModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

QJsonObject withRuns(const QJsonArray &runs)
{
    QJsonObject s = status();
    s[QStringLiteral("runs")] = runs;
    return s;
}
} // namespace

TEST_CASE(
    "a running container shows its name, stage, times, CPU, memory and GPUs", "[gui][dashboard][containers]")
{
    ContainerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setStatus(status());
    REQUIRE(model.rowCount() == 1);
    CHECK(model.columnCount() == ContainerModel::ColumnCount);
    CHECK(text(model, 0, ContainerModel::ContainerColumn) == QStringLiteral("codalab_run_") + RunA);
    CHECK(text(model, 0, ContainerModel::BundleColumn) == QLatin1String("0x1234ab"));
    CHECK(model.index(0, ContainerModel::BundleColumn).data(Qt::ToolTipRole).toString() == RunA);
    CHECK(text(model, 0, ContainerModel::OwnerColumn) == QLatin1String("0"));
    // The run status alone when it already names the stage.
    CHECK(text(model, 0, ContainerModel::StageColumn) == QLatin1String("Running job in container."));
    CHECK(text(model, 0, ContainerModel::ImageColumn) == QLatin1String("codalab/default-cpu:latest"));
    CHECK(text(model, 0, ContainerModel::TimeColumn) == QLatin1String("0:12:03 / 1:00:00"));
    CHECK(text(model, 0, ContainerModel::CpuColumn) == QLatin1String("45 %"));
    CHECK(model.index(0, ContainerModel::CpuColumn).data(Qt::ToolTipRole).toString()
        == QLatin1String("Of the CPUs it holds: 0-3"));
    CHECK(text(model, 0, ContainerModel::MemoryColumn) == QLatin1String("1.2 GiB / 2 GiB"));
    CHECK(model.index(0, ContainerModel::MemoryColumn).data(Qt::ToolTipRole).toString()
        == QLatin1String("Peak 1.5 GiB"));
    CHECK(text(model, 0, ContainerModel::GpuColumn) == QLatin1String("GPU 0 (NVIDIA H100 80GB HBM3)"));
    CHECK(model.index(0, ContainerModel::ImageColumn).data(ContainerModel::UuidRole).toString() == RunA);
    CHECK(model.index(0, ContainerModel::GpuColumn).data(ContainerModel::RunDirRole).toString()
        == QStringLiteral("/work/runs/") + RunA);
    CHECK(model.index(0, 0).data(ContainerModel::StageRole).toString() == QLatin1String("RUN_STAGE.RUNNING"));
}

TEST_CASE("runs without a container yet are left out; no limits read as such", "[gui][dashboard][containers]")
{
    ContainerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QJsonObject cleaning = run(RunC, QStringLiteral("RUN_STAGE.CLEANING_UP"), QString());
    cleaning[QStringLiteral("time_limit")] = 0;
    cleaning[QStringLiteral("memory_limit")] = 0;
    cleaning[QStringLiteral("gpuset")] = QJsonArray();
    cleaning[QStringLiteral("killed")] = true;
    cleaning[QStringLiteral("run_status")] = QString();
    model.setStatus(withRuns({ run(RunB, QStringLiteral("RUN_STAGE.PREPARING"), QString()), cleaning }));
    REQUIRE(model.rowCount() == 1);
    CHECK(model.index(0, 0).data(ContainerModel::UuidRole).toString() == RunC);
    CHECK(text(model, 0, ContainerModel::StageColumn) == QLatin1String("Cleaning up (killed)"));
    CHECK(text(model, 0, ContainerModel::TimeColumn) == QLatin1String("0:12:03 / no limit"));
    CHECK(text(model, 0, ContainerModel::MemoryColumn) == QLatin1String("1.2 GiB"));
    CHECK(text(model, 0, ContainerModel::GpuColumn) == QStringLiteral("—"));
    CHECK(ContainerModel::stageText(QStringLiteral("RUN_STAGE.UPLOADING_RESULTS"))
        == QLatin1String("Uploading results"));
}

TEST_CASE(
    "containers are updated in place and a selection survives each status", "[gui][dashboard][containers]")
{
    ContainerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QItemSelectionModel selection(&model);
    model.setStatus(withRuns({ run(RunA), run(RunB, QStringLiteral("RUN_STAGE.PREPARING"), QString()) }));
    REQUIRE(model.rowCount() == 1);
    selection.select(model.index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const QPersistentModelIndex a(model.index(0, ContainerModel::TimeColumn));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    // A minute later: time and CPU change, nothing else; RunB got its container and is appended.
    QJsonObject later = run(RunA);
    later[QStringLiteral("container_time_total")] = 783.0;
    later[QStringLiteral("cpu_usage")] = 0.9;
    QJsonObject b = run(RunB, QStringLiteral("RUN_STAGE.PREPARING"), QStringLiteral("beef"));
    b[QStringLiteral("cpuset")] = QJsonArray { 4 };
    b[QStringLiteral("gpuset")] = QJsonArray();
    model.setStatus(withRuns({ later, b }));
    REQUIRE(model.rowCount() == 2);
    CHECK(a.row() == 0);
    CHECK(a.data().toString() == QLatin1String("0:13:03 / 1:00:00"));
    CHECK(text(model, 0, ContainerModel::CpuColumn) == QLatin1String("90 %"));
    QSet<int> changedColumns;
    for (const QList<QVariant> &signal : std::as_const(changed)) {
        CHECK(signal.at(0).value<QModelIndex>().row() == 0);
        changedColumns.insert(signal.at(0).value<QModelIndex>().column());
    }
    CHECK(changedColumns == QSet<int> { ContainerModel::TimeColumn, ContainerModel::CpuColumn });
    CHECK(selection.isRowSelected(0, {}));
    CHECK(model.index(1, 0).data(ContainerModel::UuidRole).toString() == RunB);
    CHECK(
        text(model, 1, ContainerModel::StageColumn) == QLatin1String("Preparing: Running job in container."));
    CHECK(text(model, 1, ContainerModel::GpuColumn) == QStringLiteral("—"));

    // With B selected, RunA finishes and leaves: B moves up and stays selected.
    selection.select(model.index(1, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const QPersistentModelIndex persistentB(model.index(1, ContainerModel::BundleColumn));
    model.setStatus(withRuns({ b }));
    REQUIRE(model.rowCount() == 1);
    CHECK_FALSE(a.isValid());
    CHECK(persistentB.row() == 0);
    CHECK(persistentB.data().toString() == QLatin1String("0x5678ef"));
    CHECK(selection.isRowSelected(0, {}));
    CHECK(reset.isEmpty());

    model.setStatus({});
    CHECK(model.rowCount() == 0);
}

TEST_CASE(
    "the Owner column shows the user's name, not the id the worker reports", "[gui][dashboard][containers]")
{
    ContainerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setStatus(status());
    CHECK(model.index(0, ContainerModel::OwnerColumn).data().toString() == QLatin1String("0")); // no names
    codalab::ui::UserNames names; // no server: only names it is told
    model.setUserNames(&names);
    CHECK(model.index(0, ContainerModel::OwnerColumn).data().toString() == QLatin1String("0"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    names.insert(QStringLiteral("0"), QStringLiteral("codalab"));
    CHECK(model.index(0, ContainerModel::OwnerColumn).data().toString() == QLatin1String("codalab"));
    CHECK(model.index(0, ContainerModel::OwnerColumn).data(Qt::ToolTipRole).toString()
        == QLatin1String("User id 0 on the server"));
    CHECK_FALSE(changed.isEmpty());
}

TEST_CASE("a run's own GPU use shows next to the GPUs it holds", "[gui][dashboard][containers]")
{
    ContainerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QJsonObject s = status();
    QJsonObject r = run(RunA);
    // nvidia-smi not asked yet (or not there): unknown, not zero.
    r.insert(QStringLiteral("gpu_memory_bytes"), -1);
    r.insert(QStringLiteral("gpu_utilization"), -1);
    s.insert(QStringLiteral("runs"), QJsonArray { r });
    model.setStatus(s);
    CHECK(model.headerData(ContainerModel::GpuUseColumn, Qt::Horizontal).toString()
        == QLatin1String("GPU use"));
    CHECK(text(model, 0, ContainerModel::GpuUseColumn) == QStringLiteral("—"));
    // Its processes on its GPU: 42 % and 1.2 GiB.
    r.insert(QStringLiteral("gpu_memory_bytes"), 1.2 * 1024 * 1024 * 1024);
    r.insert(QStringLiteral("gpu_utilization"), 42);
    s.insert(QStringLiteral("runs"), QJsonArray { r });
    model.setStatus(s);
    CHECK(text(model, 0, ContainerModel::GpuUseColumn) == QStringLiteral("42 % · 1.2 GiB"));
    // A run without GPUs shows none, whatever the machine's GPUs do.
    r.insert(QStringLiteral("gpuset"), QJsonArray {});
    r.insert(QStringLiteral("gpu_memory_bytes"), 0);
    r.insert(QStringLiteral("gpu_utilization"), 0);
    s.insert(QStringLiteral("runs"), QJsonArray { r });
    model.setStatus(s);
    CHECK(text(model, 0, ContainerModel::GpuUseColumn) == QStringLiteral("—"));
}
