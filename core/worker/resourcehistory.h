// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace codalab::worker {

/// A run's resource use over its whole life, for the desktop's per-run charts, in bounded memory however
/// long the run lasts: each point stands for samplesPerPoint() stats samples. When the series reaches its
/// cap, adjacent pairs merge (CPU and GPU utilisation averaged, memory the maximum, the later time) and the
/// points stand for twice as many samples, so a week-long run keeps as many points as a minute-long one.
///
/// Usage: add() each stats sample; samplesJson() for the control socket, toJson()/fromJson() for the state
/// file. The last point may still be filling up (fewer samples than the others): it is always the latest.
class ResourceHistory
{
public:
    static constexpr int DefaultCap = 720;

    struct Sample
    {
        qint64 t = 0; ///< epoch ms (of the latest sample a point holds)
        double cpu = 0; ///< percent; 100 = one CPU fully busy
        qint64 mem = 0; ///< bytes
        double gpuUtil = -1; ///< percent, 100 = one GPU fully busy; -1: no GPU figure
        qint64 gpuMem = -1; ///< bytes; -1: no GPU figure

        /// {"t", "cpu", "mem", "gpuUtil", "gpuMem"}: the control socket's sample object.
        QJsonObject toJson() const;
        static Sample fromJson(const QJsonObject &json);
    };

    explicit ResourceHistory(int cap = DefaultCap);

    void add(const Sample &sample);
    QList<Sample> points() const;
    int samplesPerPoint() const { return m_perPoint; }
    QJsonArray samplesJson() const;

    /// {"perPoint": n, "points": [{sample..., "n": samples merged}]}.
    QJsonObject toJson() const;
    static ResourceHistory fromJson(const QJsonObject &json, int cap = DefaultCap);

private:
    struct Point
    {
        Sample sample;
        int n = 1;
    };
    static Point merged(const Point &older, const Point &newer);
    void compact();

    int m_cap;
    int m_perPoint = 1;
    QList<Point> m_points;
};

} // namespace codalab::worker
