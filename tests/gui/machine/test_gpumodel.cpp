// SPDX-License-Identifier: GPL-3.0-or-later
// GpuModel from worker statuses: exact cell texts, in-place updates, the Enabled check box.
#include "dashboard/statusfixture.h"
#include "machine/gpumodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::test::dashboard;
using codalab::ui::GpuModel;

namespace {
QString text(const GpuModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

QJsonObject withGpus(const QJsonArray &gpus)
{
    QJsonObject s = status();
    s[QStringLiteral("gpus")] = gpus;
    return s;
}
} // namespace

TEST_CASE("each GPU shows its name, memory, driver, load and whether runs may use it", "[gui][machine][gpus]")
{
    GpuModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setStatus(status());
    REQUIRE(model.rowCount() == 2);
    CHECK(text(model, 0, GpuModel::IndexColumn) == QLatin1String("0"));
    CHECK(text(model, 0, GpuModel::NameColumn) == QLatin1String("NVIDIA H100 80GB HBM3"));
    CHECK(model.index(0, GpuModel::NameColumn).data(Qt::ToolTipRole).toString() == Gpu0);
    CHECK(text(model, 0, GpuModel::MemoryColumn) == QLatin1String("79.6 GiB")); // 81559 MiB
    CHECK(text(model, 0, GpuModel::DriverColumn) == QLatin1String("550.54.15"));
    CHECK(text(model, 0, GpuModel::UtilizationColumn) == QLatin1String("37 %"));
    CHECK(text(model, 0, GpuModel::MemoryUsedColumn) == QLatin1String("1 GiB (1 %)"));
    CHECK(text(model, 0, GpuModel::EnabledColumn) == QLatin1String("Yes"));
    CHECK(model.index(0, GpuModel::EnabledColumn).data(Qt::CheckStateRole).toInt() == Qt::Checked);
    CHECK(model.flags(model.index(0, GpuModel::EnabledColumn)).testFlag(Qt::ItemIsUserCheckable));
    CHECK_FALSE(model.flags(model.index(0, GpuModel::NameColumn)).testFlag(Qt::ItemIsUserCheckable));
    CHECK(text(model, 1, GpuModel::IndexColumn) == QLatin1String("1"));
    CHECK(model.index(1, 0).data(GpuModel::UuidRole).toString() == Gpu1);

    // A GPU the probe has not described yet: its uuid, and dashes rather than zeros.
    model.setStatus(withGpus({ QJsonObject {
        { QStringLiteral("uuid"), QStringLiteral("GPU-new") }, { QStringLiteral("enabled"), false } } }));
    REQUIRE(model.rowCount() == 1);
    CHECK(text(model, 0, GpuModel::IndexColumn) == QLatin1String("?"));
    CHECK(text(model, 0, GpuModel::NameColumn) == QLatin1String("GPU-new"));
    CHECK(text(model, 0, GpuModel::MemoryColumn) == QStringLiteral("—"));
    CHECK(text(model, 0, GpuModel::UtilizationColumn) == QStringLiteral("—"));
    CHECK(text(model, 0, GpuModel::EnabledColumn) == QLatin1String("No"));
    CHECK(model.index(0, GpuModel::EnabledColumn).data(Qt::CheckStateRole).toInt() == Qt::Unchecked);
}

TEST_CASE(
    "live GPU figures update in place; the check box asks and waits for the worker", "[gui][machine][gpus]")
{
    GpuModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setStatus(status());
    const QPersistentModelIndex second(model.index(1, GpuModel::UtilizationColumn));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    QJsonObject busy = gpu(Gpu1, 1);
    busy[QStringLiteral("utilization_percent")] = 99;
    model.setStatus(withGpus({ gpu(Gpu0, 0), busy }));
    REQUIRE(changed.size() == 1);
    CHECK(changed.first().at(0).value<QModelIndex>() == QModelIndex(second));
    CHECK(second.data().toString() == QLatin1String("99 %"));

    QSignalSpy requested(&model, &GpuModel::enabledChangeRequested);
    CHECK(model.setData(model.index(1, GpuModel::EnabledColumn), int(Qt::Unchecked), Qt::CheckStateRole));
    REQUIRE(requested.size() == 1);
    CHECK(requested.first().at(0).toString() == Gpu1);
    CHECK(requested.first().at(1).toBool() == false);
    CHECK(text(model, 1, GpuModel::EnabledColumn) == QLatin1String("Yes")); // until the worker says otherwise
    CHECK_FALSE(model.setData(model.index(1, GpuModel::NameColumn), QStringLiteral("x"), Qt::EditRole));

    busy[QStringLiteral("enabled")] = false;
    model.setStatus(withGpus({ gpu(Gpu0, 0), busy }));
    CHECK(text(model, 1, GpuModel::EnabledColumn) == QLatin1String("No"));

    model.setStatus(withGpus({ busy }));
    REQUIRE(model.rowCount() == 1);
    CHECK(second.isValid());
    CHECK(second.row() == 0);
    model.setStatus({});
    CHECK(model.rowCount() == 0);
}
