// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QChartView>
#include <QHash>
#include <QList>
#include <QPointF>

#include <functional>

class QLineSeries;
class QValueAxis;

namespace codalab::ui {

/// A small chart of values over time: one or more lines (CPU %, memory and its limit...), a time axis, and
/// a tool tip with the value and the time under the mouse.
///
/// Usage: addLine() for each line, then setPoints() with the whole history and append() for each new
/// sample (x: epoch ms). The value axis starts at 0 and grows to the largest value (or setMaximum()). The
/// time axis counts minutes: since the first sample (a run's life), or before the newest one (the
/// machine's last hour, setTimeAxis(MinutesAgo)).
/// Lines keep at most maxPoints() points: older ones are merged two into one, so a chart of a week-long
/// run costs what one of an hour does.
class TimeSeriesChart : public QChartView
{
    Q_OBJECT
public:
    using Format = std::function<QString(double)>;
    enum class TimeAxis { MinutesSinceStart, MinutesAgo };

    TimeSeriesChart(const QString &title, Format format, QWidget *parent = nullptr);

    void addLine(const QString &key, const QString &name, const QColor &colour, bool dashed = false);
    void setPoints(const QString &key, const QList<QPointF> &points);
    void append(const QString &key, const QPointF &point);
    /// A fixed top for the value axis (100 for percentages of one device); 0: follow the data.
    void setMaximum(double maximum);
    void setTimeAxis(TimeAxis axis);
    /// Forgets every point older than `x` (epoch ms), on every line.
    void dropBefore(double x);
    void clear();

    QList<QPointF> points(const QString &key) const;
    static constexpr int MaxPoints = 720;
    /// What the tool tip says for a point of a line: "CPU: 45 % at 14:02:10".
    QString toolTipText(const QString &key, const QPointF &point) const;
    QString title() const { return m_title; }

private:
    struct Line
    {
        QLineSeries *series = nullptr;
        QString name;
    };
    void rescale(double top);
    static void bound(QList<QPointF> &points);

    QString m_title;
    Format m_format;
    /// The series as drawn: minutes on the time axis, from the epoch-ms points kept here.
    void redraw();

    QValueAxis *m_time;
    TimeAxis m_axis = TimeAxis::MinutesSinceStart;
    double m_origin = 0; ///< epoch ms at 0 on the time axis
    QHash<QString, QList<QPointF>> m_points; ///< x: epoch ms
    QValueAxis *m_values;
    QHash<QString, Line> m_lines;
    double m_maximum = 0;
};

} // namespace codalab::ui
