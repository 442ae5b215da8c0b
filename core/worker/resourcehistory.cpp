// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/resourcehistory.h"

#include "util/jsonnumber.h"

namespace codalab::worker {

namespace {

/// A weighted mean over the figures that are known (>= 0); -1 when neither is.
double meanOfKnown(double a, int na, double b, int nb)
{
    if (a < 0) {
        return b;
    }
    if (b < 0) {
        return a;
    }
    return (a * na + b * nb) / double(na + nb);
}

} // namespace

QJsonObject ResourceHistory::Sample::toJson() const
{
    return { { QStringLiteral("t"), double(t) }, { QStringLiteral("cpu"), cpu },
        { QStringLiteral("mem"), double(mem) }, { QStringLiteral("gpuUtil"), gpuUtil },
        { QStringLiteral("gpuMem"), double(gpuMem) } };
}

ResourceHistory::Sample ResourceHistory::Sample::fromJson(const QJsonObject &json)
{
    Sample s;
    s.t = util::jsonInt64(json.value(QLatin1String("t")));
    s.cpu = json.value(QLatin1String("cpu")).toDouble();
    s.mem = util::jsonInt64(json.value(QLatin1String("mem")));
    s.gpuUtil = json.value(QLatin1String("gpuUtil")).toDouble(-1);
    s.gpuMem = util::jsonInt64(json.value(QLatin1String("gpuMem")), -1);
    return s;
}

ResourceHistory::ResourceHistory(int cap)
    : m_cap(qMax(2, cap))
{ }

ResourceHistory::Point ResourceHistory::merged(const Point &older, const Point &newer)
{
    Point p;
    p.n = older.n + newer.n;
    p.sample.t = qMax(older.sample.t, newer.sample.t);
    p.sample.cpu = meanOfKnown(older.sample.cpu, older.n, newer.sample.cpu, newer.n);
    p.sample.mem = qMax(older.sample.mem, newer.sample.mem);
    p.sample.gpuUtil = meanOfKnown(older.sample.gpuUtil, older.n, newer.sample.gpuUtil, newer.n);
    p.sample.gpuMem = qMax(older.sample.gpuMem, newer.sample.gpuMem);
    return p;
}

void ResourceHistory::add(const Sample &sample)
{
    if (!m_points.isEmpty() && m_points.last().n < m_perPoint) {
        m_points.last() = merged(m_points.last(), { sample, 1 });
        return;
    }
    m_points.append({ sample, 1 });
    if (m_points.size() >= m_cap) {
        compact();
    }
}

void ResourceHistory::compact()
{
    QList<Point> halved;
    halved.reserve(m_points.size() / 2 + 1);
    for (qsizetype i = 0; i + 1 < m_points.size(); i += 2) {
        halved.append(merged(m_points.at(i), m_points.at(i + 1)));
    }
    if (m_points.size() % 2 == 1) {
        halved.append(m_points.last()); // keeps filling up to the new width
    }
    m_points = halved;
    m_perPoint *= 2;
}

QList<ResourceHistory::Sample> ResourceHistory::points() const
{
    QList<Sample> samples;
    samples.reserve(m_points.size());
    for (const Point &p : m_points) {
        samples.append(p.sample);
    }
    return samples;
}

QJsonArray ResourceHistory::samplesJson() const
{
    QJsonArray samples;
    for (const Point &p : m_points) {
        samples.append(p.sample.toJson());
    }
    return samples;
}

QJsonObject ResourceHistory::toJson() const
{
    QJsonArray points;
    for (const Point &p : m_points) {
        QJsonObject o = p.sample.toJson();
        o.insert(QStringLiteral("n"), p.n);
        points.append(o);
    }
    return { { QStringLiteral("perPoint"), m_perPoint }, { QStringLiteral("points"), points } };
}

ResourceHistory ResourceHistory::fromJson(const QJsonObject &json, int cap)
{
    ResourceHistory h(cap);
    h.m_perPoint = qMax(1, json.value(QLatin1String("perPoint")).toInt(1));
    for (const QJsonValue &v : json.value(QLatin1String("points")).toArray()) {
        const QJsonObject o = v.toObject();
        h.m_points.append(
            { Sample::fromJson(o), qBound(1, o.value(QLatin1String("n")).toInt(1), h.m_perPoint) });
    }
    // A state file written with a larger cap (or edited by hand) still ends up within this one.
    while (h.m_points.size() >= h.m_cap) {
        h.compact();
    }
    return h;
}

} // namespace codalab::worker
