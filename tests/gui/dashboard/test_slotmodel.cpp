// SPDX-License-Identifier: GPL-3.0-or-later
// SlotModel from worker statuses: exact cell texts, rows updated in place, added and removed.
#include "dashboard/slotmodel.h"
#include "dashboard/statusfixture.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::test::dashboard;
using codalab::ui::SlotModel;

namespace {
QString text(const SlotModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}
} // namespace

TEST_CASE("slots show their CPUs, GPUs and run, or idle", "[gui][dashboard][slots]")
{
    SlotModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setStatus(status());
    REQUIRE(model.rowCount() == 2);
    CHECK(model.columnCount() == SlotModel::ColumnCount);
    CHECK(model.headerData(SlotModel::CpusColumn, Qt::Horizontal).toString() == QLatin1String("CPUs"));
    CHECK(text(model, 0, SlotModel::SlotColumn) == QLatin1String("1"));
    CHECK(text(model, 0, SlotModel::CpusColumn) == QLatin1String("0-3"));
    CHECK(text(model, 0, SlotModel::GpusColumn) == QLatin1String("GPU 0 (NVIDIA H100 80GB HBM3)"));
    // The command on one line, after the short uuid `cl` shows.
    CHECK(text(model, 0, SlotModel::RunColumn) == QLatin1String("0x1234ab  python train.py --epochs 3"));
    CHECK(model.index(0, SlotModel::CpusColumn).data(SlotModel::RunUuidRole).toString() == RunA);
    CHECK(text(model, 1, SlotModel::SlotColumn) == QLatin1String("2"));
    CHECK(text(model, 1, SlotModel::CpusColumn) == QStringLiteral("—"));
    CHECK(text(model, 1, SlotModel::GpusColumn) == QStringLiteral("—"));
    CHECK(text(model, 1, SlotModel::RunColumn) == QLatin1String("idle"));
    CHECK(model.index(1, 0).data(SlotModel::RunUuidRole).toString().isEmpty());
}

TEST_CASE("a new status updates the slots in place, adds and removes them", "[gui][dashboard][slots]")
{
    SlotModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setStatus(status());
    const QPersistentModelIndex first(model.index(0, SlotModel::RunColumn));
    const QPersistentModelIndex second(model.index(1, SlotModel::RunColumn));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    // The same status again: nothing changes.
    model.setStatus(status());
    CHECK(changed.isEmpty());

    // Slot 1 takes RunB on CPUs 4,5,7 and GPU 1: only its cells change.
    QJsonObject next = status();
    next[QStringLiteral("slots")] = QJsonArray { slot(0, { 0, 1, 2, 3 }, { Gpu0 }, RunA),
        slot(1, { 4, 5, 7 }, { Gpu1, QStringLiteral("GPU-unknown") }, RunB) };
    next[QStringLiteral("runs")] = QJsonArray { run(RunA), run(RunB) };
    model.setStatus(next);
    REQUIRE(model.rowCount() == 2);
    CHECK(second.isValid());
    CHECK(second.row() == 1);
    CHECK(text(model, 1, SlotModel::CpusColumn) == QLatin1String("4-5,7"));
    CHECK(
        text(model, 1, SlotModel::GpusColumn) == QLatin1String("GPU 1 (NVIDIA H100 80GB HBM3), GPU-unknown"));
    CHECK(second.data().toString() == QLatin1String("0x5678ef  python train.py --epochs 3"));
    REQUIRE_FALSE(changed.isEmpty());
    for (const QList<QVariant> &signal : std::as_const(changed)) {
        const auto topLeft = signal.at(0).value<QModelIndex>();
        CHECK(topLeft.row() == 1);
        CHECK(topLeft == signal.at(1).value<QModelIndex>()); // one cell at a time
        if (topLeft.column() == SlotModel::SlotColumn) { // the number only stops being greyed out
            const QList<int> roles = signal.at(2).value<QList<int>>();
            CHECK(QSet<int>(roles.begin(), roles.end())
                == QSet<int> { Qt::ForegroundRole, SlotModel::RunUuidRole });
        }
    }

    // A third slot appears; then the worker goes back to one slot.
    next[QStringLiteral("slots")] = QJsonArray { slot(0, { 0, 1, 2, 3 }, { Gpu0 }, RunA),
        slot(1, { 4, 5, 7 }, { Gpu1 }, RunB), slot(2, {}, {}, QString()) };
    model.setStatus(next);
    REQUIRE(model.rowCount() == 3);
    CHECK(text(model, 2, SlotModel::RunColumn) == QLatin1String("idle"));
    next[QStringLiteral("slots")] = QJsonArray { slot(0, { 0, 1, 2, 3 }, { Gpu0 }, RunA) };
    model.setStatus(next);
    CHECK(model.rowCount() == 1);
    CHECK(first.isValid());
    CHECK(first.row() == 0);
    CHECK_FALSE(second.isValid());
    CHECK(reset.isEmpty()); // never a reset: views keep their selection

    // No worker: no slots.
    model.setStatus({});
    CHECK(model.rowCount() == 0);
}
