// SPDX-License-Identifier: GPL-3.0-or-later
#include "tray/trayicons.h"

#include <QFont>
#include <QPainter>

#include <vector>

// The SVGs live in the static codalab_ui_common library, whose resource initializer the linker would drop
// unless something calls it; registering twice is harmless (Qt keeps one copy).
static void initTrayResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace codalab::ui {

namespace {

// The SVGs' grid: the count is drawn on it too, so it lines up with the disc of the other icons.
constexpr qreal Grid = 16.0;

void ensureResources()
{
    static const bool once = [] {
        initTrayResources();
        return true;
    }();
    Q_UNUSED(once);
}

/// A transparent square canvas of `size` logical pixels at `dpr`.
QPixmap canvas(int size, qreal dpr)
{
    QPixmap pixmap(QSize(size, size) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    return pixmap;
}

/// `icon` at exactly `size` x `size`: a theme may hold only smaller pixmaps, which are centred, not
/// stretched.
QPixmap squarePixmap(const QIcon &icon, int size, qreal dpr)
{
    const QPixmap pixmap = icon.pixmap(QSize(size, size), dpr);
    if (pixmap.deviceIndependentSize() == QSizeF(size, size) && pixmap.devicePixelRatio() == dpr) {
        return pixmap;
    }
    QPixmap square = canvas(size, dpr);
    QPainter p(&square);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    QSizeF shown = pixmap.deviceIndependentSize(); // never blown up: a small pixmap stays sharp
    if (shown.width() > size || shown.height() > size) {
        shown.scale(QSizeF(size, size), Qt::KeepAspectRatio);
    }
    p.drawPixmap(QRectF(QPointF((size - shown.width()) / 2, (size - shown.height()) / 2), shown), pixmap,
        QRectF(pixmap.rect()));
    return square;
}

/// Paints `fill` behind the shape's holes: the transparent pixels that the border cannot reach (a glyph cut
/// out of a disc, the inside of a ring). A cut-out glyph shows the panel through it, which reads on a light
/// panel and gets lost on a dark one; a white glyph reads on both, as the colour icons always drew them.
void fillHoles(QPixmap &pixmap, const QColor &fill)
{
    QImage image = pixmap.toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(1.0); // work in device pixels; the ratio goes back on at the end
    const int w = image.width();
    const int h = image.height();
    const auto clear = [&image](int x, int y) { return qAlpha(image.pixel(x, y)) < 128; };
    // Flood the outside from the border through the (mostly) transparent pixels.
    std::vector<char> outside(size_t(w) * size_t(h), 0);
    std::vector<QPoint> todo;
    for (int x = 0; x < w; ++x) {
        todo.insert(todo.end(), { QPoint(x, 0), QPoint(x, h - 1) });
    }
    for (int y = 0; y < h; ++y) {
        todo.insert(todo.end(), { QPoint(0, y), QPoint(w - 1, y) });
    }
    while (!todo.empty()) {
        const QPoint pt = todo.back();
        todo.pop_back();
        if (pt.x() < 0 || pt.y() < 0 || pt.x() >= w || pt.y() >= h) {
            continue;
        }
        char &seen = outside[size_t(pt.y()) * size_t(w) + size_t(pt.x())];
        if (seen || !clear(pt.x(), pt.y())) {
            continue;
        }
        seen = 1;
        todo.insert(
            todo.end(), { pt + QPoint(1, 0), pt - QPoint(1, 0), pt + QPoint(0, 1), pt - QPoint(0, 1) });
    }
    const auto isOutside = [&](int x, int y) {
        return x >= 0 && y >= 0 && x < w && y < h && outside[size_t(y) * size_t(w) + size_t(x)];
    };
    QImage under(image.size(), QImage::Format_ARGB32_Premultiplied);
    under.fill(Qt::transparent);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            // The shape's own antialiased rim touches the outside and gets nothing behind it.
            const bool rim
                = isOutside(x + 1, y) || isOutside(x - 1, y) || isOutside(x, y + 1) || isOutside(x, y - 1);
            if (!isOutside(x, y) && !rim && qAlpha(image.pixel(x, y)) < 255) {
                under.setPixel(x, y, fill.rgba());
            }
        }
    }
    QPainter p(&image);
    p.setCompositionMode(QPainter::CompositionMode_DestinationOver);
    p.drawImage(0, 0, under);
    p.end();
    const qreal dpr = pixmap.devicePixelRatio();
    pixmap = QPixmap::fromImage(image);
    pixmap.setDevicePixelRatio(dpr);
}

/// The Running disc with the number of runs on it in white, as the other colour icons show their glyphs.
QPixmap runCountPixmap(int runCount, int size, qreal dpr, const QColor &color)
{
    QPixmap pixmap = canvas(size, dpr);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.scale(size / Grid, size / Grid);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(0.5, 0.5, 15, 15)); // the SVGs' disc: centre (8, 8), radius 7.5
    const QString text = runCount > 9 ? QStringLiteral("9+") : QString::number(runCount);
    QFont font;
    font.setBold(true);
    font.setPixelSize(text.size() == 1 ? 11 : 8);
    p.setFont(font);
    p.setPen(Qt::white);
    p.drawText(QRectF(0, 0.5, Grid, Grid), Qt::AlignCenter, text);
    return pixmap;
}

} // namespace

QColor TrayIcons::color(TrayState::Kind kind)
{
    switch (kind) {
    case TrayState::Kind::Idle:
        return QColor(0x2e, 0x9d, 0x4f);
    case TrayState::Kind::Running:
        return QColor(0x2f, 0x6f, 0xd6);
    case TrayState::Kind::Paused:
        return QColor(0xd0, 0x84, 0x00);
    case TrayState::Kind::Snoozed:
        return QColor(0x7a, 0x4f, 0xc9);
    case TrayState::Kind::Draining:
        return QColor(0x0f, 0x85, 0x85);
    case TrayState::Kind::Offline:
        return QColor(0x80, 0x80, 0x80);
    case TrayState::Kind::Error:
        return QColor(0xd2, 0x32, 0x32);
    }
    return {};
}

QString TrayIcons::themeName(TrayState::Kind kind)
{
    // The names say what the user sees ("available"), not the enum's Idle.
    const auto name = [](const char *state) {
        return QStringLiteral("org.codalab.Desktop-%1-symbolic").arg(QLatin1String(state));
    };
    switch (kind) {
    case TrayState::Kind::Idle:
        return name("available");
    case TrayState::Kind::Running:
        return name("running");
    case TrayState::Kind::Paused:
        return name("paused");
    case TrayState::Kind::Snoozed:
        return name("snoozed");
    case TrayState::Kind::Draining:
        return name("draining");
    case TrayState::Kind::Offline:
        return name("offline");
    case TrayState::Kind::Error:
        return name("error");
    }
    return {};
}

QString TrayIcons::resourcePath(TrayState::Kind kind)
{
    return QStringLiteral(":/codalab/icons/tray/%1.svg").arg(themeName(kind));
}

QPixmap TrayIcons::pixmap(TrayState::Kind kind, int runCount, int size, qreal devicePixelRatio, Style style)
{
    if (style == Style::Monochrome) {
        return squarePixmap(icon(kind, 0, Style::Monochrome), size, devicePixelRatio);
    }
    if (kind == TrayState::Kind::Running && runCount > 0) {
        return runCountPixmap(runCount, size, devicePixelRatio, color(kind));
    }
    ensureResources();
    QPixmap pixmap = squarePixmap(QIcon(resourcePath(kind)), size, devicePixelRatio);
    // The SVG's one grey becomes the state's colour, and its cut-out glyph white.
    {
        QPainter p(&pixmap);
        p.setCompositionMode(QPainter::CompositionMode_SourceIn);
        p.fillRect(QRectF(0, 0, size, size), color(kind));
    }
    fillHoles(pixmap, Qt::white);
    return pixmap;
}

QIcon TrayIcons::icon(TrayState::Kind kind, int runCount, Style style)
{
    ensureResources();
    if (style == Style::Monochrome) {
        // By name, so that the tray host loads the installed -symbolic icon from its theme and gives it the
        // panel's text colour; without one installed, the same shape in the SVG's grey.
        return QIcon::fromTheme(themeName(kind), QIcon(resourcePath(kind)));
    }
    QIcon icon;
    for (int size : { 16, 22, 24, 32, 48, 64, 128 }) {
        icon.addPixmap(pixmap(kind, runCount, size));
    }
    return icon;
}

} // namespace codalab::ui
