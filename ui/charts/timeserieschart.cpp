// SPDX-License-Identifier: GPL-3.0-or-later
#include "charts/timeserieschart.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
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
    , m_time(new QDateTimeAxis)
    , m_values(new QValueAxis)
{
    auto *c = new QChart;
    c->setTitle(title);
    c->legend()->setAlignment(Qt::AlignBottom);
    c->legend()->setVisible(false);
    c->setMargins(QMargins(2, 2, 2, 2));
    c->setBackgroundRoundness(0);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_time->setFormat(QStringLiteral("HH:mm"));
    m_time->setLabelsFont(small);
    m_time->setTickCount(4);
    m_values->setLabelsFont(small);
    m_values->setTickCount(3);
    m_values->setLabelFormat(QStringLiteral("%.0f"));
    c->addAxis(m_time, Qt::AlignBottom);
    c->addAxis(m_values, Qt::AlignLeft);
    setChart(c);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(220, 140);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    rescale();
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
    chart()->legend()->setVisible(m_lines.size() > 1);
    connect(series, &QLineSeries::hovered, this, [this, key](const QPointF &point, bool state) {
        if (state) {
            QToolTip::showText(QCursor::pos(), toolTipText(key, point), this);
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
    const auto it = m_lines.constFind(key);
    if (it == m_lines.constEnd()) {
        return;
    }
    it->series->replace(points);
    bound(it->series);
    rescale();
}

void TimeSeriesChart::append(const QString &key, const QPointF &point)
{
    const auto it = m_lines.constFind(key);
    if (it == m_lines.constEnd()) {
        return;
    }
    it->series->append(point);
    bound(it->series);
    rescale();
}

void TimeSeriesChart::bound(QLineSeries *series)
{
    if (series->count() <= MaxPoints) {
        return;
    }
    // Pairs merged into their mean: the shape stays, the cost stops growing.
    const QList<QPointF> all = series->points();
    QList<QPointF> merged;
    merged.reserve(all.size() / 2 + 1);
    for (qsizetype i = 0; i + 1 < all.size(); i += 2) {
        merged << QPointF((all[i].x() + all[i + 1].x()) / 2, (all[i].y() + all[i + 1].y()) / 2);
    }
    if (all.size() % 2 == 1) {
        merged << all.last();
    }
    series->replace(merged);
}

void TimeSeriesChart::setMaximum(double maximum)
{
    m_maximum = maximum;
    rescale();
}

void TimeSeriesChart::clear()
{
    for (const Line &line : std::as_const(m_lines)) {
        line.series->clear();
    }
    rescale();
}

QList<QPointF> TimeSeriesChart::points(const QString &key) const
{
    const auto it = m_lines.constFind(key);
    return it == m_lines.constEnd() ? QList<QPointF>() : it->series->points();
}

void TimeSeriesChart::rescale()
{
    double first = 0;
    double last = 0;
    double top = 0;
    bool any = false;
    for (const Line &line : std::as_const(m_lines)) {
        const QList<QPointF> pts = line.series->points();
        for (const QPointF &p : pts) {
            first = any ? std::min(first, p.x()) : p.x();
            last = any ? std::max(last, p.x()) : p.x();
            top = std::max(top, p.y());
            any = true;
        }
    }
    if (!any) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        first = double(now - 60000);
        last = double(now);
    }
    if (last - first < 60000) {
        first = last - 60000; // a minute at least: two samples do not make a wall-to-wall line
    }
    m_time->setRange(
        QDateTime::fromMSecsSinceEpoch(qint64(first)), QDateTime::fromMSecsSinceEpoch(qint64(last)));
    m_time->setFormat(last - first > 86400000.0 ? QStringLiteral("d MMM HH:mm") : QStringLiteral("HH:mm"));
    const double max = m_maximum > 0 ? m_maximum : (top <= 0 ? 1 : top * 1.15);
    m_values->setRange(0, max);
    // Plain numbers in the chart's unit, which its title names ("Memory (GiB)").
    m_values->setLabelFormat(QStringLiteral("%.3g"));
    setToolTip(tr("%1 — top of the scale %2").arg(m_title, m_format(max)));
}

} // namespace codalab::ui
