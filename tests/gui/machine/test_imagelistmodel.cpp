// SPDX-License-Identifier: GPL-3.0-or-later
#include "machine/imagelistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>

#include <catch2/catch.hpp>

using codalab::docker::ImageInfo;
using codalab::ui::ImageListModel;

namespace {
ImageInfo image(const QString &id, const QString &tag, qint64 size)
{
    ImageInfo i;
    i.id = QStringLiteral("sha256:") + id;
    i.repoTags = { tag };
    i.sizeBytes = size;
    i.created = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
    return i;
}
} // namespace

TEST_CASE("the image model applies a new listing row by row", "[gui][model]")
{
    ImageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setImages({ image(QStringLiteral("aaaaaaaaaaaaaaaa"), QStringLiteral("a:1"), 1000),
        image(QStringLiteral("bbbbbbbbbbbbbbbb"), QStringLiteral("b:1"), 2000000),
        image(QStringLiteral("cccccccccccccccc"), QStringLiteral("c:1"), 3) });
    REQUIRE(model.rowCount() == 3);
    CHECK(model.columnCount() == ImageListModel::ColumnCount);
    CHECK(model.index(1, ImageListModel::NameColumn).data().toString() == QLatin1String("b:1"));
    CHECK(model.index(1, ImageListModel::IdColumn).data().toString() == QLatin1String("bbbbbbbbbbbb"));
    CHECK(model.index(1, ImageListModel::SizeColumn).data().toString() == QLatin1String("1.9 MiB"));
    CHECK(model.index(1, 0).data(ImageListModel::SizeBytesRole).toLongLong() == 2000000);
    CHECK(model.headerData(ImageListModel::SizeColumn, Qt::Horizontal).toString() == QLatin1String("Size"));

    const QPersistentModelIndex c(model.index(2, 0));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    // a:1 gone, b retagged, c unchanged, d new
    ImageInfo b = image(QStringLiteral("bbbbbbbbbbbbbbbb"), QStringLiteral("b:2"), 2000000);
    model.setImages({ b, image(QStringLiteral("cccccccccccccccc"), QStringLiteral("c:1"), 3),
        image(QStringLiteral("dddddddddddddddd"), QStringLiteral("d:1"), 4) });
    CHECK(reset.isEmpty());
    REQUIRE(removed.size() == 1);
    CHECK(removed.first().at(1).toInt() == 0);
    REQUIRE(inserted.size() == 1);
    CHECK(inserted.first().at(1).toInt() == 2);
    REQUIRE(changed.size() == 1);
    CHECK(changed.first().at(0).toModelIndex().row() == 0);
    CHECK(model.index(0, 0).data().toString() == QLatin1String("b:2"));
    REQUIRE(c.isValid()); // a view's selection of c survives the refresh
    CHECK(c.row() == 1);
    CHECK(c.data().toString() == QLatin1String("c:1"));

    model.setImages({});
    CHECK(model.rowCount() == 0);
}

TEST_CASE("images sort by size in bytes and by creation time, not by their text", "[gui][model]")
{
    ImageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    // As text, "1.9 MiB" < "1000 B" < "3 B", and "1/10/23" < "1/9/23" < "12/31/22".
    ImageInfo small = image(QStringLiteral("aaaaaaaaaaaaaaaa"), QStringLiteral("small:1"), 3);
    small.created = QDateTime(QDate(2023, 1, 9), QTime(12, 0), Qt::UTC);
    ImageInfo middle = image(QStringLiteral("bbbbbbbbbbbbbbbb"), QStringLiteral("middle:1"), 1000);
    middle.created = QDateTime(QDate(2023, 1, 10), QTime(12, 0), Qt::UTC);
    ImageInfo large = image(QStringLiteral("cccccccccccccccc"), QStringLiteral("large:1"), 2000000);
    large.created = QDateTime(QDate(2022, 12, 31), QTime(12, 0), Qt::UTC);
    ImageInfo untagged = image(QStringLiteral("dddddddddddddddd"), QString(), 5000);
    untagged.repoTags.clear();
    untagged.created = QDateTime(QDate(2023, 1, 5), QTime(12, 0), Qt::UTC);
    model.setImages({ large, small, untagged, middle });
    CHECK(model.index(2, ImageListModel::NameColumn).data().toString() == QLatin1String("<untagged>"));

    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ImageListModel::SortRole);
    const auto names = [&proxy] {
        QStringList list;
        for (int row = 0; row < proxy.rowCount(); ++row) {
            list << proxy.index(row, ImageListModel::NameColumn).data().toString();
        }
        return list;
    };
    proxy.sort(ImageListModel::NameColumn, Qt::AscendingOrder); // untagged leftovers last
    CHECK(names()
        == QStringList { QStringLiteral("large:1"), QStringLiteral("middle:1"), QStringLiteral("small:1"),
            QStringLiteral("<untagged>") });
    proxy.sort(ImageListModel::SizeColumn, Qt::AscendingOrder);
    CHECK(names()
        == QStringList { QStringLiteral("small:1"), QStringLiteral("middle:1"), QStringLiteral("<untagged>"),
            QStringLiteral("large:1") });
    proxy.sort(ImageListModel::CreatedColumn, Qt::DescendingOrder);
    CHECK(names()
        == QStringList { QStringLiteral("middle:1"), QStringLiteral("small:1"), QStringLiteral("<untagged>"),
            QStringLiteral("large:1") });
}

TEST_CASE("a worker's bookkeeping tags are never offered as images", "[gui][model]")
{
    // An image an upstream cl-worker cached carries its last-use time as a tag of its own.
    ImageInfo cached = image(QStringLiteral("eeeeeeeeeeeeeeee"), QStringLiteral("python:3.11"), 10);
    cached.repoTags.prepend(QStringLiteral("codalab-image-cache/last-used:1733442000"));
    ImageInfo onlyBookkeeping
        = image(QStringLiteral("ffffffffffffffff"), QStringLiteral("codalab-image-cache/last-used:17"), 10);
    ImageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setImages({ cached, onlyBookkeeping });
    CHECK(model.index(0, ImageListModel::NameColumn).data().toString() == QLatin1String("python:3.11"));
    CHECK(model.index(0, 0).data(ImageListModel::ReferenceRole).toString() == QLatin1String("python:3.11"));
    CHECK_FALSE(
        model.index(0, 0).data(Qt::ToolTipRole).toString().contains(QLatin1String("codalab-image-cache")));
    CHECK(model.index(1, ImageListModel::NameColumn).data().toString() == QLatin1String("<untagged>"));
    CHECK(cached.userTags() == QStringList { QStringLiteral("python:3.11") });
    CHECK(ImageInfo::isBookkeepingTag(QStringLiteral("codalab-image-cache/last-used:1")));
    CHECK_FALSE(ImageInfo::isBookkeepingTag(QStringLiteral("codalab/default-cpu:latest")));
}
