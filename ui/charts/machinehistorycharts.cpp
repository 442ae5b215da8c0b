// SPDX-License-Identifier: GPL-3.0-or-later
#include "charts/machinehistorycharts.h"

#include "charts/timeserieschart.h"
#include "common/units.h"
#include "common/workerlink.h"

#include <QDateTime>
#include <QGridLayout>
#include <QJsonArray>

namespace codalab::ui {

namespace {

constexpr double GiB = 1024.0 * 1024 * 1024;
constexpr qint64 HourMs = 3600 * 1000;

QString gib(double value)
{
    return Units::bytes(value * GiB);
}

QString percentText(double value)
{
    return QStringLiteral("%1 %").arg(QString::number(value, 'f', 0));
}

const QColor gpuColours[] = { QColor(0x6a1b9a), QColor(0x00838f), QColor(0xad1457), QColor(0x4e342e) };

} // namespace

MachineHistoryCharts::MachineHistoryCharts(WorkerLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_cpu(new TimeSeriesChart(tr("CPU, whole machine (%)"), percentText, this))
    , m_memory(new TimeSeriesChart(tr("Memory (GiB; dashed: total)"), gib, this))
    , m_disk(new TimeSeriesChart(tr("Work directory's disk (GiB; dashed: size)"), gib, this))
    , m_gpu(new TimeSeriesChart(tr("GPU utilisation (%, one line per GPU)"), percentText, this))
    , m_gpuMemory(new TimeSeriesChart(tr("GPU memory (GiB)"), gib, this))
{
    m_cpu->setObjectName(QStringLiteral("machineCpuChart"));
    m_memory->setObjectName(QStringLiteral("machineMemoryChart"));
    m_disk->setObjectName(QStringLiteral("machineDiskChart"));
    m_gpu->setObjectName(QStringLiteral("machineGpuChart"));
    m_gpuMemory->setObjectName(QStringLiteral("machineGpuMemoryChart"));
    m_cpu->addLine(QStringLiteral("cpu"), tr("CPU"), QColor(0x1565c0));
    m_cpu->setMaximum(100);
    for (TimeSeriesChart *chart : { m_cpu, m_memory, m_disk, m_gpu, m_gpuMemory }) {
        chart->setTimeAxis(TimeSeriesChart::TimeAxis::MinutesAgo);
    }
    m_memory->addLine(QStringLiteral("used"), tr("Used"), QColor(0x2e7d32));
    m_memory->addLine(QStringLiteral("total"), tr("Total"), QColor(0xc62828), true);
    m_disk->addLine(QStringLiteral("used"), tr("Used"), QColor(0xe65100));
    m_disk->addLine(QStringLiteral("total"), tr("Total"), QColor(0xc62828), true);
    m_gpu->setMaximum(100);
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_cpu, 0, 0);
    grid->addWidget(m_memory, 0, 1);
    grid->addWidget(m_disk, 0, 2);
    grid->addWidget(m_gpu, 1, 0);
    grid->addWidget(m_gpuMemory, 1, 1);
    m_gpu->hide();
    m_gpuMemory->hide();

    connect(m_link, &WorkerLink::eventReceived, this, [this](const QString &name, const QJsonValue &data) {
        if (name == QLatin1String("machineSample") && m_loaded) {
            addSample(data.toObject().value(QLatin1String("sample")).toObject());
            trim();
        }
    });
    connect(m_link, &WorkerLink::connectionChanged, this, [this](bool connected) {
        if (connected) {
            load();
        }
    });
    if (m_link->isConnected()) {
        load();
    }
}

void MachineHistoryCharts::load()
{
    m_link->call(QStringLiteral("machineHistory"), {}, this,
        [this](const QJsonValue &result, int errorCode, const QString &) {
            if (errorCode != 0) {
                return; // an older worker keeps no history: the charts stay empty
            }
            for (TimeSeriesChart *chart : { m_cpu, m_memory, m_disk, m_gpu, m_gpuMemory }) {
                chart->clear();
            }
            m_samples = 0;
            for (const QJsonValue &v : result.toObject().value(QLatin1String("samples")).toArray()) {
                addSample(v.toObject());
            }
            trim();
            m_loaded = true;
            Q_EMIT loaded();
        });
}

void MachineHistoryCharts::addSample(const QJsonObject &s)
{
    const double t = s.value(QLatin1String("t")).toDouble();
    ++m_samples;
    m_cpu->append(QStringLiteral("cpu"), QPointF(t, s.value(QLatin1String("cpu")).toDouble()));
    m_memory->append(QStringLiteral("used"), QPointF(t, s.value(QLatin1String("memUsed")).toDouble() / GiB));
    m_memory->append(
        QStringLiteral("total"), QPointF(t, s.value(QLatin1String("memTotal")).toDouble() / GiB));
    m_disk->append(QStringLiteral("used"), QPointF(t, s.value(QLatin1String("diskUsed")).toDouble() / GiB));
    m_disk->append(QStringLiteral("total"), QPointF(t, s.value(QLatin1String("diskTotal")).toDouble() / GiB));
    const QJsonArray gpus = s.value(QLatin1String("gpus")).toArray();
    for (qsizetype i = 0; i < gpus.size(); ++i) {
        const QJsonObject g = gpus.at(i).toObject();
        const QString uuid = g.value(QLatin1String("uuid")).toString();
        if (!m_gpuLines.contains(uuid)) {
            m_gpuLines.insert(uuid);
            const QString name = tr("GPU %1").arg(i);
            const QColor colour = gpuColours[i % std::size(gpuColours)];
            m_gpu->addLine(uuid, name, colour);
            m_gpuMemory->addLine(uuid, name, colour);
            m_gpu->show();
            m_gpuMemory->show();
        }
        const double util = g.value(QLatin1String("util")).toDouble(-1);
        const double used = g.value(QLatin1String("memUsed")).toDouble(-1);
        if (util >= 0) {
            m_gpu->append(uuid, QPointF(t, util));
        }
        if (used >= 0) {
            m_gpuMemory->append(uuid, QPointF(t, used / GiB));
        }
    }
}

void MachineHistoryCharts::trim()
{
    // An hour back from the newest sample: the worker sends an hour, and live samples extend it.
    const QList<QPointF> cpu = m_cpu->points(QStringLiteral("cpu"));
    if (cpu.isEmpty()) {
        return;
    }
    const double cut = cpu.last().x() - double(HourMs);
    for (TimeSeriesChart *chart : { m_cpu, m_memory, m_disk, m_gpu, m_gpuMemory }) {
        chart->dropBefore(cut);
    }
}

} // namespace codalab::ui
