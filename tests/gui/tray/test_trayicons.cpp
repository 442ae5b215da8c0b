// SPDX-License-Identifier: GPL-3.0-or-later
// The tray icons: one symbolic SVG per state in the resources, the colour icons tinted from it (same shape,
// the state's colour), the monochrome ones taken from an icon theme by name with the SVG as fallback; each
// state different from every other at tray size, the run count on the colour Running icon; and the legend
// screenshot (tray-icons.png).
#include "support/guitestsupport.h"
#include "tray/trayicons.h"

#include <QDir>
#include <QFile>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QSet>
#include <QTemporaryDir>
#include <QWidget>
#include <QXmlStreamReader>

#include <catch2/catch.hpp>

using namespace codalab;
using Kind = ui::TrayState::Kind;
using Style = ui::TrayIcons::Style;

namespace {

/// Per pixel: 0 transparent (the cut-out glyphs too), 1 light, 2 ink, whatever the colour.
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

/// The alpha channel alone.
QByteArray alphaOf(const QImage &image)
{
    QByteArray alpha;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            alpha.append(char(image.pixelColor(x, y).alpha()));
        }
    }
    return alpha;
}

/// The colours of the (nearly) opaque pixels, ignoring the antialiased edges.
QSet<QRgb> inkOf(const QImage &image)
{
    QSet<QRgb> ink;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.alpha() > 250) {
                ink.insert(c.rgb());
            }
        }
    }
    return ink;
}

/// The state's SVG as Qt renders it, untouched.
QImage svgImage(Kind kind, int size, qreal dpr = 1.0)
{
    return QIcon(ui::TrayIcons::resourcePath(kind)).pixmap(QSize(size, size), dpr).toImage();
}

/// An icon theme of its own for one test: `withIcons` installs the SVGs into it as the .deb installs them
/// into hicolor (symbolic/apps); without, no theme has them. Puts the application's theme back afterwards.
class ThemeSandbox
{
public:
    explicit ThemeSandbox(bool withIcons)
        : m_oldName(QIcon::themeName())
        , m_oldPaths(QIcon::themeSearchPaths())
        , m_oldFallbackPaths(QIcon::fallbackSearchPaths())
    {
        const QString theme = m_dir.filePath(QStringLiteral("codalab-test"));
        REQUIRE(QDir().mkpath(theme + QStringLiteral("/symbolic/apps")));
        QFile index(theme + QStringLiteral("/index.theme"));
        REQUIRE(index.open(QIODevice::WriteOnly));
        index.write("[Icon Theme]\nName=codalab-test\nDirectories=symbolic/apps\n\n"
                    "[symbolic/apps]\nSize=16\nMinSize=8\nMaxSize=512\nType=Scalable\n");
        index.close();
        for (int k = 0; withIcons && k < ui::TrayState::KindCount; ++k) {
            const QString name = ui::TrayIcons::themeName(Kind(k));
            REQUIRE(QFile::copy(ui::TrayIcons::resourcePath(Kind(k)),
                theme + QStringLiteral("/symbolic/apps/%1.svg").arg(name)));
        }
        QIcon::setThemeSearchPaths({ m_dir.path() });
        QIcon::setFallbackSearchPaths({});
        QIcon::setThemeName(QStringLiteral("codalab-test"));
    }
    ~ThemeSandbox()
    {
        QIcon::setThemeName(m_oldName);
        QIcon::setThemeSearchPaths(m_oldPaths);
        QIcon::setFallbackSearchPaths(m_oldFallbackPaths);
    }

private:
    QTemporaryDir m_dir;
    QString m_oldName;
    QStringList m_oldPaths;
    QStringList m_oldFallbackPaths;
};

} // namespace

TEST_CASE("each state's symbolic SVG is in the resources: one flat grey shape, nothing else", "[gui][tray]")
{
    for (int k = 0; k < ui::TrayState::KindCount; ++k) {
        const Kind kind = Kind(k);
        const QString path = ui::TrayIcons::resourcePath(kind);
        INFO(path.toStdString());
        CHECK(path.endsWith(ui::TrayIcons::themeName(kind) + QStringLiteral(".svg")));
        QFile file(path);
        REQUIRE(file.open(QIODevice::ReadOnly));
        const QByteArray svg = file.readAll();
        QXmlStreamReader xml(svg);
        while (!xml.atEnd()) {
            xml.readNext();
        }
        INFO(xml.errorString().toStdString());
        CHECK_FALSE(xml.hasError());
        CHECK(svg.contains("viewBox=\"0 0 16 16\""));
        CHECK(svg.contains("fill=\"#bebebe\""));
        CHECK(svg.contains("fill-rule=\"evenodd\""));
        for (const char *unwanted : { "stroke", "<text", "Gradient", "opacity" }) {
            INFO(unwanted);
            CHECK_FALSE(svg.contains(unwanted));
        }
        const QImage image = svgImage(kind, 22);
        REQUIRE(image.size() == QSize(22, 22));
        CHECK(inkOf(image) == QSet<QRgb> { qRgb(0xbe, 0xbe, 0xbe) });
    }
    CHECK(ui::TrayIcons::themeName(Kind::Idle) == QLatin1String("org.codalab.Desktop-available-symbolic"));
    CHECK(ui::TrayIcons::themeName(Kind::Error) == QLatin1String("org.codalab.Desktop-error-symbolic"));
}

TEST_CASE("the colour icon is the SVG's shape in the state's colour, its cut-out glyph white", "[gui][tray]")
{
    for (int k = 0; k < ui::TrayState::KindCount; ++k) {
        const Kind kind = Kind(k);
        INFO(ui::TrayState::kindName(kind).toStdString());
        for (const auto &[size, dpr] : { std::pair { 22, 1.0 }, { 48, 1.0 }, { 22, 2.0 } }) {
            const QPixmap colour = ui::TrayIcons::pixmap(kind, 0, size, dpr);
            CHECK(colour.deviceIndependentSize() == QSizeF(size, size));
            const QImage image = colour.toImage();
            const QImage svg = svgImage(kind, size, dpr);
            REQUIRE(image.size() == svg.size());
            int ink = 0;
            int wrongInk = 0;
            int glyph = 0;
            for (int y = 0; y < svg.height(); ++y) {
                for (int x = 0; x < svg.width(); ++x) {
                    const QColor want = svg.pixelColor(x, y);
                    const QColor got = image.pixelColor(x, y);
                    if (want.alpha() == 255) {
                        // The file's shape, in the state's colour.
                        (got.rgba() == ui::TrayIcons::color(kind).rgba() ? ink : wrongInk) += 1;
                    } else if (got.alpha() == 255 && got.rgb() == QColor(Qt::white).rgb()) {
                        ++glyph; // a hole in the file, filled
                    }
                }
            }
            CHECK(wrongInk == 0);
            CHECK(ink > image.width() * image.height() / 4);
            CHECK(glyph > 0);
            // Outside the shape stays transparent: the panel shows around it.
            CHECK(image.pixelColor(0, 0).alpha() == 0);
            CHECK(image.pixelColor(image.width() - 1, image.height() - 1).alpha() == 0);
        }
    }
}

TEST_CASE("each state has an icon of its own at tray size", "[gui][tray]")
{
    QList<QImage> images;
    for (int k = 0; k < ui::TrayState::KindCount; ++k) {
        const QImage image = ui::TrayIcons::pixmap(Kind(k), 2, 22).toImage();
        REQUIRE(image.size() == QSize(22, 22));
        CHECK(alphaOf(image).count(char(255)) > 22 * 22 / 4); // a shape, not a speck
        for (const QImage &other : std::as_const(images)) {
            CHECK(image != other);
        }
        images << image;
    }
    // Colour is not the only difference: with every colour made the same, the shapes still differ, in both
    // styles (the monochrome one has nothing else).
    for (Style style : { Style::Colour, Style::Monochrome }) {
        QList<QByteArray> shapes;
        for (int k = 0; k < ui::TrayState::KindCount; ++k) {
            const QByteArray shape = shapeOf(ui::TrayIcons::pixmap(Kind(k), 0, 22, 1.0, style).toImage());
            for (const QByteArray &other : std::as_const(shapes)) {
                CHECK(shape != other);
            }
            shapes << shape;
        }
    }
}

TEST_CASE(
    "the Running icon shows how many runs, and the icon comes in tray and notification sizes", "[gui][tray]")
{
    const QImage one = ui::TrayIcons::pixmap(Kind::Running, 1, 22).toImage();
    CHECK(one != ui::TrayIcons::pixmap(Kind::Running, 2, 22).toImage());
    CHECK(one != ui::TrayIcons::pixmap(Kind::Running, 0, 22).toImage()); // a number, not the triangle
    // The running disc with the number on it in white, like the other icons' glyphs.
    // (its antialiased edges blend the two).
    CHECK(inkOf(one).contains(ui::TrayIcons::color(Kind::Running).rgb()));
    CHECK(inkOf(one).contains(QColor(Qt::white).rgb()));
    CHECK(ui::TrayIcons::pixmap(Kind::Running, 12, 22).toImage()
        == ui::TrayIcons::pixmap(Kind::Running, 10, 22).toImage());
    const QIcon icon = ui::TrayIcons::icon(Kind::Idle);
    const QList<QSize> sizes = icon.availableSizes();
    CHECK(sizes.contains(QSize(16, 16)));
    CHECK(sizes.contains(QSize(22, 22)));
    CHECK(sizes.contains(QSize(48, 48)));
    for (Style style : { Style::Colour, Style::Monochrome }) {
        const QPixmap hiDpi = ui::TrayIcons::pixmap(Kind::Error, 0, 22, 2.0, style);
        CHECK(hiDpi.size() == QSize(44, 44));
        CHECK(hiDpi.deviceIndependentSize() == QSizeF(22, 22));
    }
}

TEST_CASE("the monochrome icon is the theme's by name, the grey SVG without one, never tinted", "[gui][tray]")
{
    SECTION("no theme has the icons: the resource's SVG as it is")
    {
        ThemeSandbox sandbox(false);
        for (int k = 0; k < ui::TrayState::KindCount; ++k) {
            const Kind kind = Kind(k);
            INFO(ui::TrayState::kindName(kind).toStdString());
            const QIcon icon = ui::TrayIcons::icon(kind, 3, Style::Monochrome);
            REQUIRE_FALSE(icon.isNull());
            CHECK(ui::TrayIcons::pixmap(kind, 3, 22, 1.0, Style::Monochrome).toImage() == svgImage(kind, 22));
        }
    }
    SECTION("installed in the theme: that one, by name, so a tray host can recolour it")
    {
        ThemeSandbox sandbox(true);
        for (int k = 0; k < ui::TrayState::KindCount; ++k) {
            const Kind kind = Kind(k);
            INFO(ui::TrayState::kindName(kind).toStdString());
            const QIcon icon = ui::TrayIcons::icon(kind, 0, Style::Monochrome);
            CHECK(icon.name() == ui::TrayIcons::themeName(kind));
            const QImage image = ui::TrayIcons::pixmap(kind, 0, 22, 1.0, Style::Monochrome).toImage();
            CHECK(alphaOf(image) == alphaOf(svgImage(kind, 22)));
            CHECK(inkOf(image) == QSet<QRgb> { qRgb(0xbe, 0xbe, 0xbe) });
        }
        CHECK(ui::TrayIcons::icon(Kind::Idle).name().isEmpty()); // the colour icon is the app's own
    }
    // No count in this style: the host draws the theme's icon, which has none.
    CHECK(ui::TrayIcons::pixmap(Kind::Running, 1, 22, 1.0, Style::Monochrome).toImage()
        == ui::TrayIcons::pixmap(Kind::Running, 2, 22, 1.0, Style::Monochrome).toImage());
}

TEST_CASE("screenshot: the tray icons", "[gui][tray][screenshot]")
{
    // States across; down: the colour icons on a light and a dark panel and at notification size, then the
    // monochrome ones as drawn (dark panel) and as a light panel recolours them (its text colour).
    QWidget sheet;
    sheet.setAutoFillBackground(true);
    auto *grid = new QGridLayout(&sheet);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(4);
    struct Column
    {
        Kind kind;
        int runs;
        QString title;
    };
    QList<Column> columns;
    for (int k = 0; k < ui::TrayState::KindCount; ++k) {
        const Kind kind = Kind(k);
        columns.append({ kind, 0, ui::TrayState::kindName(kind) });
        if (kind == Kind::Running) {
            columns.append({ kind, 3, QObject::tr("Running,\n3 runs") });
        }
    }
    const QColor lightPanel(0xf2, 0xf2, 0xf2);
    const QColor darkPanel(0x2b, 0x2b, 0x2b);
    const QColor lightPanelText(0x2e, 0x34, 0x36);
    struct Row
    {
        QString title;
        Style style;
        int size;
        QColor background;
        QColor recolour; // what a tray host paints a symbolic icon in; invalid: as drawn
    };
    const QList<Row> rows { { QObject::tr("Colour, 22 px,\nlight panel"), Style::Colour, 22, lightPanel, {} },
        { QObject::tr("Colour, 22 px,\ndark panel"), Style::Colour, 22, darkPanel, {} },
        { QObject::tr("Colour, 48 px"), Style::Colour, 48, lightPanel, {} },
        { QObject::tr("Monochrome, 22 px,\ndark panel"), Style::Monochrome, 22, darkPanel, {} },
        { QObject::tr("Monochrome, 22 px,\nlight panel (recoloured)"), Style::Monochrome, 22, lightPanel,
            lightPanelText },
        { QObject::tr("Monochrome, 48 px,\ndark panel"), Style::Monochrome, 48, darkPanel, {} } };
    for (int c = 0; c < columns.size(); ++c) {
        auto *header = new QLabel(QStringLiteral("<b>%1</b>")
                                      .arg(columns.at(c).title)
                                      .replace(QLatin1Char('\n'), QStringLiteral("<br>")));
        header->setAlignment(Qt::AlignCenter);
        grid->addWidget(header, 0, c + 1, Qt::AlignCenter);
    }
    QList<QImage> shown; // the colour icons at tray size, one per column
    for (int r = 0; r < rows.size(); ++r) {
        const Row &row = rows.at(r);
        grid->addWidget(new QLabel(row.title), r + 1, 0);
        for (int c = 0; c < columns.size(); ++c) {
            QPixmap pixmap
                = ui::TrayIcons::pixmap(columns.at(c).kind, columns.at(c).runs, row.size, 1.0, row.style);
            REQUIRE_FALSE(pixmap.isNull());
            if (r == 0) {
                for (const QImage &other : std::as_const(shown)) {
                    CHECK(pixmap.toImage() != other);
                }
                shown << pixmap.toImage();
            }
            if (row.recolour.isValid()) {
                QPainter p(&pixmap);
                p.setCompositionMode(QPainter::CompositionMode_SourceIn);
                p.fillRect(pixmap.rect(), row.recolour);
            }
            auto *label = new QLabel;
            label->setPixmap(pixmap);
            label->setAlignment(Qt::AlignCenter);
            label->setFixedSize(64, row.size > 32 ? 60 : 40);
            label->setStyleSheet(QStringLiteral("background: %1;").arg(row.background.name()));
            grid->addWidget(label, r + 1, c + 1);
        }
    }
    CHECK(shown.size() == ui::TrayState::KindCount + 1);
    // The legend's Running icon says 3, not any number: 4 is drawn differently.
    CHECK(ui::TrayIcons::pixmap(Kind::Running, 3, 22).toImage()
        != ui::TrayIcons::pixmap(Kind::Running, 4, 22).toImage());
    sheet.resize(sheet.sizeHint());
    sheet.show();
    test::saveScreenshot(&sheet, QStringLiteral("tray-icons.png"));
}
