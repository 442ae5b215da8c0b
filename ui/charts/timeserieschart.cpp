// SPDX-License-Identifier: GPL-3.0-or-later
#include "charts/timeserieschart.h"

#include <QChart>
#include <QDateTime>
#include <QLineSeries>
#include <QLocale>
#include <QPen>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace codalab::ui {

TimeSeriesChart::TimeSeriesChart(const QString &title, Format format, QWidget *parent)
    : QChartView(parent)
    , m_title(title)
    , m_format(std::move(format))
    , m_time(new QValueAxis)
    , m_values(new QValueAxis)
{
    auto *c = new QChart;
    c->setTitle(title);
    c->legend()->setAlignment(Qt::AlignBottom);
    c->legend()->setVisible(false);
    c->setMargins(QMargins(2, 2, 2, 2));
    c->setBackgroundRoundness(0);
    m_time->setTickCount(4);
    m_values->setTickCount(3);
    m_values->setLabelFormat(QStringLiteral("%.0f"));
    c->addAxis(m_time, Qt::AlignBottom);
    c->addAxis(m_values, Qt::AlignLeft);
    setChart(c);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(200, 130);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    redraw();
}

void TimeSeriesChart::addLine(const QString &key, const QString &name, const QColor &colour, bool dashed)
{
    auto *series = new QLineSeries;
    series->setName(name);
    QPen pen(colour);
    pen.setWidthF(dashed ? 1.0 : 1.6);
    if (dashed) {
        pen.setStyle(Qt::DashLine); // a limit, not a measurement
    }
    series->setPen(pen);
    chart()->addSeries(series);
    series->attachAxis(m_time);
    series->attachAxis(m_values);
    m_lines.insert(key, { series, name });
    // No legend: it squeezes a small chart's axes to "…"; the title names the lines (a dashed line is a
    // limit) and the tool tip names the one under the mouse.
    connect(series, &QLineSeries::hovered, this, [this, key](const QPointF &point, bool state) {
        if (state) {
            // The series is drawn in minutes from m_origin; the samples are kept in epoch ms.
            const QPointF at(m_origin + point.x() * 60000.0, point.y());
            QToolTip::showText(QCursor::pos(), toolTipText(key, at), this);
        } else {
            QToolTip::hideText();
        }
    });
}

QString TimeSeriesChart::toolTipText(const QString &key, const QPointF &point) const
{
    // The hovered position lies between samples: name the nearest sample, not an invented value.
    const QList<QPointF> all = points(key);
    QPointF nearest = point;
    double best = -1;
    for (const QPointF &p : all) {
        const double d = std::abs(p.x() - point.x());
        if (best < 0 || d < best) {
            best = d;
            nearest = p;
        }
    }
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(qint64(nearest.x())).toLocalTime();
    return tr("%1: %2 at %3")
        .arg(m_lines.value(key).name, m_format(nearest.y()),
            QLocale().toString(at.time(), QLocale::LongFormat));
}

void TimeSeriesChart::setPoints(const QString &key, const QList<QPointF> &points)
{
    if (!m_lines.contains(key)) {
        return;
    }
    QList<QPointF> &kept = m_points[key];
    kept = points;
    bound(kept);
    redraw();
}

void TimeSeriesChart::append(const QString &key, const QPointF &point)
{
    if (!m_lines.contains(key)) {
        return;
    }
    QList<QPointF> &kept = m_points[key];
    kept.append(point);
    bound(kept);
    redraw();
}

void TimeSeriesChart::bound(QList<QPointF> &points)
{
    if (points.size() <= MaxPoints) {
        return;
    }
    // Pairs merged into one point at the first one's time with their mean: the shape stays, the run's start
    // stays where it was, and the cost stops growing.
    QList<QPointF> merged;
    merged.reserve(points.size() / 2 + 1);
    for (qsizetype i = 0; i + 1 < points.size(); i += 2) {
        merged << QPointF(points[i].x(), (points[i].y() + points[i + 1].y()) / 2);
    }
    if (points.size() % 2 == 1) {
        merged << points.last();
    }
    points = merged;
}

void TimeSeriesChart::dropBefore(double x)
{
    bool dropped = false;
    for (QList<QPointF> &points : m_points) {
        const auto kept
            = std::find_if(points.cbegin(), points.cend(), [x](const QPointF &p) { return p.x() >= x; });
        dropped = dropped || kept != points.cbegin();
        points.erase(points.cbegin(), kept);
    }
    if (dropped) {
        redraw();
    }
}

void TimeSeriesChart::setTimeAxis(TimeAxis axis)
{
    m_axis = axis;
    redraw();
}

void TimeSeriesChart::setMaximum(double maximum)
{
    m_maximum = maximum;
    redraw();
}

void TimeSeriesChart::clear()
{
    m_points.clear();
    redraw();
}

QList<QPointF> TimeSeriesChart::points(const QString &key) const
{
    return m_points.value(key);
}

void TimeSeriesChart::redraw()
{
    double first = 0;
    double last = 0;
    double top = 0;
    bool any = false;
    for (const QList<QPointF> &pts : std::as_const(m_points)) {
        for (const QPointF &p : pts) {
            first = any ? std::min(first, p.x()) : p.x();
            last = any ? std::max(last, p.x()) : p.x();
            top = std::max(top, p.y());
            any = true;
        }
    }
    // Minutes on the axis: since the first sample, or before the newest.
    const double origin = m_axis == TimeAxis::MinutesSinceStart ? first : last;
    m_origin = origin;
    for (auto it = m_lines.cbegin(); it != m_lines.cend(); ++it) {
        QList<QPointF> drawn;
        const QList<QPointF> pts = m_points.value(it.key());
        drawn.reserve(pts.size());
        for (const QPointF &p : pts) {
            drawn << QPointF((p.x() - origin) / 60000.0, p.y());
        }
        it->series->replace(drawn);
    }
    const double span = any ? std::max(1.0, (last - first) / 60000.0) : 1.0;
    // The unit in the labels, not in an axis title: a small chart has no line to spare for one.
    if (m_axis == TimeAxis::MinutesSinceStart) {
        m_time->setRange(0, span);
        m_time->setLabelFormat(span < 5 ? QStringLiteral("%.1f min") : QStringLiteral("%.0f min"));
    } else {
        m_time->setRange(-std::max(span, 1.0), 0);
        m_time->setLabelFormat(span < 5 ? QStringLiteral("%.1f min") : QStringLiteral("%.0f min"));
    }
    rescale(top);
}

void TimeSeriesChart::rescale(double top)
{
    const double max = m_maximum > 0 ? m_maximum : (top <= 0 ? 1 : top * 1.15);
    m_values->setRange(0, max);
    // Plain numbers in the chart's unit, which its title names ("Memory (GiB)").
    m_values->setLabelFormat(QStringLiteral("%.3g"));
    setToolTip(tr("%1 — top of the scale %2").arg(m_title, m_format(max)));
}

} // namespace codalab::ui
