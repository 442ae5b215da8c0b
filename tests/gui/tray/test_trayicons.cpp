// SPDX-License-Identifier: GPL-3.0-or-later
// The tray icons: one per state, each different from every other at tray size, the run count drawn on the
// Running one; and the legend screenshot (tray-icons.png).
#include "support/guitestsupport.h"
#include "tray/trayicons.h"

#include <QGridLayout>
#include <QLabel>
#include <QWidget>

#include <catch2/catch.hpp>

using namespace codalab;
using Kind = ui::TrayState::Kind;

namespace {
/// Per pixel: 0 transparent, 1 white glyph, 2 coloured ink, whatever the colour.
QByteArray shapeOf(const QImage &image)
{
    QByteArray shape;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            shape.append(c.alpha() < 128 ? '0' : (c.lightness() > 200 ? '1' : '2'));
        }
    }
    return shape;
}
} // namespace

TEST_CASE("each state has an icon of its own at tray size", "[gui][tray]")
{
    QList<QImage> images;
    for (int k = 0; k < ui::TrayState::KindCount; ++k) {
        const QImage image = ui::TrayIcons::pixmap(Kind(k), 2, 22).toImage();
        REQUIRE(image.size() == QSize(22, 22));
        CHECK(image.pixelColor(11, 11).alpha() > 0); // something is drawn in the middle
        for (const QImage &other : std::as_const(images)) {
            CHECK(image != other);
        }
        images << image;
    }
    // Colour is not the only difference: with every colour made the same, the shapes still differ.
    QList<QByteArray> shapes;
    for (const QImage &image : std::as_const(images)) {
        const QByteArray shape = shapeOf(image);
        for (const QByteArray &other : std::as_const(shapes)) {
            CHECK(shape != other);
        }
        shapes << shape;
    }
}

TEST_CASE(
    "the Running icon shows how many runs, and the icon comes in tray and notification sizes", "[gui][tray]")
{
    CHECK(ui::TrayIcons::pixmap(Kind::Running, 1, 22).toImage()
        != ui::TrayIcons::pixmap(Kind::Running, 2, 22).toImage());
    CHECK(ui::TrayIcons::pixmap(Kind::Running, 12, 22).toImage()
        == ui::TrayIcons::pixmap(Kind::Running, 10, 22).toImage());
    const QIcon icon = ui::TrayIcons::icon(Kind::Idle);
    const QList<QSize> sizes = icon.availableSizes();
    CHECK(sizes.contains(QSize(16, 16)));
    CHECK(sizes.contains(QSize(22, 22)));
    CHECK(sizes.contains(QSize(48, 48)));
    const QPixmap hiDpi = ui::TrayIcons::pixmap(Kind::Error, 0, 22, 2.0);
    CHECK(hiDpi.size() == QSize(44, 44));
    CHECK(hiDpi.deviceIndependentSize() == QSizeF(22, 22));
}

TEST_CASE("screenshot: the tray icons", "[gui][tray][screenshot]")
{
    // Each icon at tray size on a light and a dark panel, and at notification size.
    QWidget sheet;
    sheet.setAutoFillBackground(true);
    auto *grid = new QGridLayout(&sheet);
    grid->setHorizontalSpacing(18);
    const QStringList headers { QObject::tr("State"), QObject::tr("22 px, light panel"),
        QObject::tr("22 px, dark panel"), QObject::tr("48 px") };
    for (int c = 0; c < headers.size(); ++c) {
        auto *header = new QLabel(QStringLiteral("<b>%1</b>").arg(headers.at(c)));
        grid->addWidget(header, 0, c, Qt::AlignCenter);
    }
    const auto iconLabel = [](const QPixmap &pixmap, const QString &background) {
        auto *label = new QLabel;
        label->setPixmap(pixmap);
        label->setAlignment(Qt::AlignCenter);
        label->setFixedSize(64, 56);
        label->setStyleSheet(QStringLiteral("background: %1; border-radius: 4px;").arg(background));
        return label;
    };
    QList<QImage> shown; // what the sheet shows at tray size, one per state
    for (int k = 0; k < ui::TrayState::KindCount; ++k) {
        const Kind kind = Kind(k);
        const int runs = kind == Kind::Running ? 3 : 0;
        const QPixmap tray = ui::TrayIcons::pixmap(kind, runs, 22);
        REQUIRE_FALSE(tray.isNull());
        for (const QImage &other : std::as_const(shown)) {
            CHECK(tray.toImage() != other);
        }
        shown << tray.toImage();
        QString name = ui::TrayState::kindName(kind);
        if (kind == Kind::Running) {
            name = QObject::tr("Running (3 runs)");
        }
        grid->addWidget(new QLabel(name), k + 1, 0);
        grid->addWidget(
            iconLabel(ui::TrayIcons::pixmap(kind, runs, 22), QStringLiteral("#f2f2f2")), k + 1, 1);
        grid->addWidget(
            iconLabel(ui::TrayIcons::pixmap(kind, runs, 22), QStringLiteral("#2b2b2b")), k + 1, 2);
        grid->addWidget(
            iconLabel(ui::TrayIcons::pixmap(kind, runs, 48), QStringLiteral("#f2f2f2")), k + 1, 3);
    }
    CHECK(shown.size() == ui::TrayState::KindCount);
    // The legend's Running icon says 3, not any number: 4 is drawn differently.
    CHECK(ui::TrayIcons::pixmap(Kind::Running, 3, 22).toImage()
        != ui::TrayIcons::pixmap(Kind::Running, 4, 22).toImage());
    sheet.resize(sheet.sizeHint());
    sheet.show();
    test::saveScreenshot(&sheet, QStringLiteral("tray-icons.png"));
}
