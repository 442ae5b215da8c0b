// SPDX-License-Identifier: GPL-3.0-or-later
// CacheModel from `caches` answers (as CacheCleaner builds them): exact cell texts, in-place updates.
#include "machine/cachemodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>

#include <catch2/catch.hpp>

using codalab::ui::CacheModel;

namespace {

constexpr qint64 Now = 1700000000;
const QString Bundle = QStringLiteral("0x1234abcd000000000000000000000001");

QJsonObject dependency(
    const QString &subpath, double size, bool inUse, int dependents, const QJsonValue &lastUsed)
{
    return { { QStringLiteral("bundle_uuid"), Bundle }, { QStringLiteral("subpath"), subpath },
        { QStringLiteral("state"), QStringLiteral("ready") }, { QStringLiteral("size_bytes"), size },
        { QStringLiteral("last_used"), lastUsed }, { QStringLiteral("in_use"), inUse },
        { QStringLiteral("dependents"), dependents } };
}

QJsonObject image(const QString &name, bool pulledByWorker, bool inUse)
{
    return { { QStringLiteral("image"), name }, { QStringLiteral("digest"), QStringLiteral("sha256:feed") },
        { QStringLiteral("state"), QStringLiteral("ready") }, { QStringLiteral("size_bytes"), 4324896.0 },
        { QStringLiteral("last_used"), double(Now - 7200) }, { QStringLiteral("in_use"), inUse },
        { QStringLiteral("pulled_by_worker"), pulledByWorker } };
}

QJsonObject caches(const QJsonArray &deps, const QJsonArray &images)
{
    return { { QStringLiteral("dependencies"), deps }, { QStringLiteral("images"), images } };
}

QString text(const CacheModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

} // namespace

TEST_CASE("cache entries show kind, name, size, last use, use and state", "[gui][machine][caches]")
{
    CacheModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setCaches(caches({ dependency(QString(), 1536, true, 2, double(Now - 3)),
                               dependency(QStringLiteral("data/train"), 700, false, 0, QJsonValue()) },
                        { image(QStringLiteral("codalab/default-cpu:latest"), true, false),
                            image(QStringLiteral("codalab-test/busybox:latest"), false, true) }),
        Now);
    REQUIRE(model.rowCount() == 4);
    CHECK(text(model, 0, CacheModel::KindColumn) == QLatin1String("Dependency"));
    CHECK(text(model, 0, CacheModel::NameColumn) == Bundle);
    CHECK(text(model, 0, CacheModel::SizeColumn) == QLatin1String("1.5 KiB"));
    CHECK(model.index(0, CacheModel::NameColumn).data(CacheModel::SizeRole).toDouble() == 1536);
    CHECK(text(model, 0, CacheModel::LastUsedColumn) == QLatin1String("3 s ago"));
    CHECK(text(model, 0, CacheModel::InUseColumn) == QLatin1String("Yes (2 run(s))"));
    CHECK(model.index(0, 0).data(CacheModel::InUseRole).toBool());
    CHECK(text(model, 0, CacheModel::StateColumn) == QLatin1String("Ready"));
    CHECK(text(model, 1, CacheModel::NameColumn) == Bundle + QStringLiteral("/data/train"));
    CHECK(text(model, 1, CacheModel::LastUsedColumn) == QLatin1String("never"));
    CHECK(text(model, 1, CacheModel::InUseColumn) == QLatin1String("No"));
    CHECK(text(model, 2, CacheModel::KindColumn) == QLatin1String("Image"));
    CHECK(text(model, 2, CacheModel::NameColumn) == QLatin1String("codalab/default-cpu:latest"));
    CHECK(model.index(2, CacheModel::NameColumn).data(Qt::ToolTipRole).toString()
        == QLatin1String("sha256:feed"));
    CHECK(text(model, 2, CacheModel::SizeColumn) == QLatin1String("4.1 MiB"));
    CHECK(text(model, 2, CacheModel::LastUsedColumn) == QLatin1String("2 h ago"));
    CHECK(text(model, 2, CacheModel::StateColumn) == QStringLiteral("Ready · pulled by the worker"));
    CHECK(text(model, 3, CacheModel::InUseColumn) == QLatin1String("Yes"));
    CHECK(
        text(model, 3, CacheModel::StateColumn) == QStringLiteral("Ready · kept: not pulled by the worker"));
    CHECK(model.index(3, 0).data(CacheModel::KindRole).toString() == QLatin1String("image"));
}

TEST_CASE("a new caches answer updates entries in place and drops the removed ones", "[gui][machine][caches]")
{
    CacheModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QJsonObject before = caches({ dependency(QString(), 1536, true, 1, double(Now - 3)) },
        { image(QStringLiteral("a:1"), true, false), image(QStringLiteral("b:1"), false, true) });
    model.setCaches(before, Now);
    const QPersistentModelIndex b(model.index(2, CacheModel::NameColumn));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setCaches(before, Now);
    CHECK(changed.isEmpty());

    // The run let go of the dependency; cleaning then removed it and image a.
    model.setCaches(
        caches({ dependency(QString(), 1536, false, 0, double(Now - 3)) },
            { image(QStringLiteral("a:1"), true, false), image(QStringLiteral("b:1"), false, true) }),
        Now);
    // Its text changes in one cell; InUseRole, which every cell of the row answers, in each.
    QList<int> displayChanged;
    for (const QList<QVariant> &signal : std::as_const(changed)) {
        CHECK(signal.at(0).value<QModelIndex>().row() == 0);
        if (signal.at(2).value<QList<int>>().contains(Qt::DisplayRole)) {
            displayChanged.append(signal.at(0).value<QModelIndex>().column());
        }
    }
    CHECK(displayChanged == QList<int> { CacheModel::InUseColumn });
    CHECK(changed.size() == CacheModel::ColumnCount);
    CHECK(text(model, 0, CacheModel::InUseColumn) == QLatin1String("No"));
    model.setCaches(caches({}, { image(QStringLiteral("b:1"), false, true) }), Now);
    REQUIRE(model.rowCount() == 1);
    CHECK(b.isValid());
    CHECK(b.row() == 0);
    CHECK(b.data().toString() == QLatin1String("b:1"));
    model.setCaches({}, Now);
    CHECK(model.rowCount() == 0);
}
