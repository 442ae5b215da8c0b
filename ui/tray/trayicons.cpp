// SPDX-License-Identifier: GPL-3.0-or-later
#include "tray/trayicons.h"

#include <QFont>
#include <QPainter>
#include <QPainterPath>

namespace codalab::ui {

namespace {

// Everything is drawn on a 24 x 24 grid and scaled, so strokes keep their proportions at 16 px and 128 px.
constexpr qreal Grid = 24.0;

void drawDisc(QPainter &p, const QColor &color)
{
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(1, 1, 22, 22));
}

QPen glyphPen(qreal width)
{
    QPen pen(Qt::white, width);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    return pen;
}

void drawTick(QPainter &p)
{
    p.setPen(glyphPen(3.0));
    p.setBrush(Qt::NoBrush);
    const QPointF tick[] = { { 6.5, 12.5 }, { 10.5, 16.5 }, { 17.5, 8.0 } };
    p.drawPolyline(tick, 3);
}

void drawRunCount(QPainter &p, int runCount)
{
    if (runCount <= 0) {
        // A play triangle when the count is unknown or zero (a legend, not a live icon).
        p.setPen(Qt::NoPen);
        p.setBrush(Qt::white);
        const QPointF play[] = { { 9.0, 6.5 }, { 18.0, 12.0 }, { 9.0, 17.5 } };
        p.drawPolygon(play, 3);
        return;
    }
    const QString text = runCount > 9 ? QStringLiteral("9+") : QString::number(runCount);
    QFont font;
    font.setBold(true);
    font.setPixelSize(text.size() == 1 ? 16 : 12);
    p.setFont(font);
    p.setPen(Qt::white);
    p.drawText(QRectF(0, 0.5, Grid, Grid), Qt::AlignCenter, text);
}

void drawPauseBars(QPainter &p)
{
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::white);
    p.drawRoundedRect(QRectF(7.5, 6.5, 3.2, 11), 1, 1);
    p.drawRoundedRect(QRectF(13.3, 6.5, 3.2, 11), 1, 1);
}

void drawMoon(QPainter &p)
{
    QPainterPath moon;
    moon.addEllipse(QRectF(5.5, 5.5, 13, 13));
    QPainterPath bite;
    bite.addEllipse(QRectF(10, 3, 12, 12));
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::white);
    p.drawPath(moon.subtracted(bite));
}

void drawDrain(QPainter &p, const QColor &color)
{
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawRoundedRect(QRectF(1.5, 1.5, 21, 21), 5, 5);
    p.setPen(glyphPen(2.6));
    p.drawLine(QPointF(12, 5.5), QPointF(12, 14.5));
    p.setBrush(Qt::NoBrush);
    const QPointF head[] = { { 8, 11 }, { 12, 15 }, { 16, 11 } };
    p.drawPolyline(head, 3);
    p.drawLine(QPointF(6.5, 18.5), QPointF(17.5, 18.5));
}

void drawOffline(QPainter &p, const QColor &color)
{
    QPen pen(color, 2.8);
    pen.setCapStyle(Qt::RoundCap);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(QRectF(3, 3, 18, 18));
    p.drawLine(QPointF(6.5, 17.5), QPointF(17.5, 6.5));
}

void drawError(QPainter &p, const QColor &color)
{
    QPainterPath triangle;
    triangle.moveTo(12, 1.5);
    triangle.lineTo(23, 21.5);
    triangle.lineTo(1, 21.5);
    triangle.closeSubpath();
    QPen outline(color, 1.5);
    outline.setJoinStyle(Qt::RoundJoin);
    p.setPen(outline);
    p.setBrush(color);
    p.drawPath(triangle);
    p.setPen(glyphPen(2.8));
    p.drawLine(QPointF(12, 8.5), QPointF(12, 14));
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::white);
    p.drawEllipse(QPointF(12, 18), 1.6, 1.6);
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

QPixmap TrayIcons::pixmap(TrayState::Kind kind, int runCount, int size, qreal devicePixelRatio)
{
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.scale(size / Grid, size / Grid);
    const QColor c = color(kind);
    switch (kind) {
    case TrayState::Kind::Idle:
        drawDisc(p, c);
        drawTick(p);
        break;
    case TrayState::Kind::Running:
        drawDisc(p, c);
        drawRunCount(p, runCount);
        break;
    case TrayState::Kind::Paused:
        drawDisc(p, c);
        drawPauseBars(p);
        break;
    case TrayState::Kind::Snoozed:
        drawDisc(p, c);
        drawMoon(p);
        break;
    case TrayState::Kind::Draining:
        drawDrain(p, c);
        break;
    case TrayState::Kind::Offline:
        drawOffline(p, c);
        break;
    case TrayState::Kind::Error:
        drawError(p, c);
        break;
    }
    return pixmap;
}

QIcon TrayIcons::icon(TrayState::Kind kind, int runCount)
{
    QIcon icon;
    for (int size : { 16, 22, 24, 32, 48, 64, 128 }) {
        icon.addPixmap(pixmap(kind, runCount, size));
    }
    return icon;
}

} // namespace codalab::ui
