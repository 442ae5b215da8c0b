// SPDX-License-Identifier: GPL-3.0-or-later
// ClusterJobsModel from worker-manager statuses: exact cell texts, roles, and rows keyed by job id updated in
// place so a selection survives the next status.
#include "cluster/clusterjobsmodel.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QSignalSpy>

#include <catch2/catch.hpp>

using codalab::ui::ClusterJobsModel;

namespace {

const QString RunA = QStringLiteral("0x1234abcd1234abcd1234abcd1234abcd");

QJsonObject job(const QString &id, const QString &run, const QString &state, const QString &reason,
    const QString &node = {}, int age = 0, bool cancelledByUs = false)
{
    return { { QStringLiteral("id"), id },
        { QStringLiteral("name"), QString(QStringLiteral("codalab-gpu-") + run) },
        { QStringLiteral("run"), run }, { QStringLiteral("state"), state },
        { QStringLiteral("reason"), reason }, { QStringLiteral("node"), node },
        { QStringLiteral("age_seconds"), age },
        { QStringLiteral("log"), QStringLiteral("/logs/codalab-gpu-%1-%2.out").arg(run, id) },
        { QStringLiteral("cancelled_by_manager"), cancelledByUs } };
}

QJsonObject status(const QJsonArray &jobs)
{
    return { { QStringLiteral("state"), QStringLiteral("running") }, { QStringLiteral("jobs"), jobs } };
}

QString text(const ClusterJobsModel &m, int row, int column)
{
    return m.index(row, column).data().toString();
}

} // namespace

TEST_CASE("a job shows its id, run, state, node, reason and age", "[gui][cluster][jobs]")
{
    ClusterJobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setStatus(status({ job(QStringLiteral("41"), RunA, QStringLiteral("RUNNING"),
                                 QStringLiteral("None"), QStringLiteral("node7"), 3723),
        job(QStringLiteral("42"), QString(), QStringLiteral("PENDING"), QStringLiteral("Resources"), {},
            5) }));
    REQUIRE(model.rowCount() == 2);
    CHECK(model.columnCount() == ClusterJobsModel::ColumnCount);
    CHECK(text(model, 0, ClusterJobsModel::JobColumn) == QLatin1String("41"));
    CHECK(text(model, 0, ClusterJobsModel::RunColumn) == QLatin1String("0x1234ab"));
    CHECK(model.index(0, ClusterJobsModel::RunColumn).data(Qt::ToolTipRole).toString() == RunA);
    CHECK(text(model, 0, ClusterJobsModel::StateColumn) == QLatin1String("Running"));
    CHECK(text(model, 0, ClusterJobsModel::NodeColumn) == QLatin1String("node7"));
    CHECK(text(model, 0, ClusterJobsModel::ReasonColumn).isEmpty()); // Slurm's "None" says nothing
    CHECK(text(model, 0, ClusterJobsModel::AgeColumn) == QLatin1String("1:02:03"));
    CHECK(model.index(0, ClusterJobsModel::AgeColumn).data(ClusterJobsModel::LogRole).toString()
        == QStringLiteral("/logs/codalab-gpu-%1-41.out").arg(RunA));
    CHECK(model.index(0, ClusterJobsModel::NodeColumn).data(ClusterJobsModel::RunRole).toString() == RunA);
    // A spare job (--min-workers) was submitted for no run.
    CHECK(text(model, 1, ClusterJobsModel::RunColumn) == QLatin1String("spare"));
    CHECK(text(model, 1, ClusterJobsModel::StateColumn) == QLatin1String("Pending"));
    CHECK(text(model, 1, ClusterJobsModel::ReasonColumn)
        == QLatin1String("Resources: waiting for free CPUs, memory or GPUs"));
    CHECK(model.index(1, ClusterJobsModel::StateColumn).data(Qt::ForegroundRole).value<QColor>()
        != model.index(0, ClusterJobsModel::StateColumn).data(Qt::ForegroundRole).value<QColor>());
}

TEST_CASE("Slurm's states and reasons in words", "[gui][cluster][jobs]")
{
    CHECK(ClusterJobsModel::stateText(QStringLiteral("OUT_OF_MEMORY"), false)
        == QLatin1String("Out of memory"));
    CHECK(ClusterJobsModel::stateText(QStringLiteral("CANCELLED"), false) == QLatin1String("Cancelled"));
    CHECK(ClusterJobsModel::stateText(QStringLiteral("CANCELLED"), true)
        == QLatin1String("Cancelled by the manager"));
    CHECK(ClusterJobsModel::stateText({}, false) == QLatin1String("Unknown"));
    CHECK(ClusterJobsModel::reasonText(QStringLiteral("PartitionTimeLimit"))
              .contains(QLatin1String("never start")));
    CHECK(ClusterJobsModel::reasonText(QStringLiteral("BeginTime")) == QLatin1String("BeginTime"));
}

TEST_CASE("a new status updates the rows in place and keeps the selection", "[gui][cluster][jobs]")
{
    ClusterJobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setStatus(
        status({ job(QStringLiteral("41"), RunA, QStringLiteral("PENDING"), QStringLiteral("Priority")),
            job(QStringLiteral("42"), QString(), QStringLiteral("PENDING"), QStringLiteral("Resources")) }));
    QItemSelectionModel selection(&model);
    selection.setCurrentIndex(
        model.index(1, 0), QItemSelectionModel::SelectCurrent | QItemSelectionModel::Rows);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    // Job 41 left squeue's memory; 42 started; 43 is new.
    model.setStatus(status({ job(QStringLiteral("42"), QString(), QStringLiteral("RUNNING"),
                                 QStringLiteral("None"), QStringLiteral("node1"), 9),
        job(QStringLiteral("43"), RunA, QStringLiteral("CANCELLED"), QStringLiteral("None"), {}, 0, true) }));
    CHECK(reset.isEmpty());
    CHECK_FALSE(changed.isEmpty());
    REQUIRE(model.rowCount() == 2);
    CHECK(model.rowOf(QStringLiteral("41")) == -1);
    CHECK(selection.currentIndex().data(ClusterJobsModel::JobIdRole).toString() == QLatin1String("42"));
    CHECK(text(model, model.rowOf(QStringLiteral("42")), ClusterJobsModel::NodeColumn)
        == QLatin1String("node1"));
    CHECK(text(model, model.rowOf(QStringLiteral("43")), ClusterJobsModel::StateColumn)
        == QLatin1String("Cancelled by the manager"));
    model.setStatus({}); // the manager went away
    CHECK(model.rowCount() == 0);
}
