// SPDX-License-Identifier: GPL-3.0-or-later
#include "machine/imagelistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

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
    CHECK(
        model.index(1, ImageListModel::SizeColumn).data().toString() == ImageListModel::formatSize(2000000));
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
