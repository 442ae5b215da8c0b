// SPDX-License-Identifier: GPL-3.0-or-later
#include "charts/runresourcecharts.h"

#include "charts/timeserieschart.h"
#include "common/units.h"
#include "common/workerlink.h"

#include <QGridLayout>
#include <QJsonArray>
#include <QLabel>
#include <QVBoxLayout>

namespace codalab::ui {

namespace {

constexpr double GiB = 1024.0 * 1024 * 1024;

QString gib(double value)
{
    return Units::bytes(value * GiB);
}

QString percentText(double value)
{
    return QStringLiteral("%1 %").arg(QString::number(value, 'f', value < 10 ? 1 : 0));
}

} // namespace

RunResourceCharts::RunResourceCharts(WorkerLink *link, QWidget *parent)
    : QWidget(parent)
    , m_link(link)
    , m_message(new QLabel(this))
    , m_grid(new QWidget(this))
    , m_cpu(new TimeSeriesChart(tr("CPU (%; 100 = one CPU)"), percentText, m_grid))
    , m_memory(new TimeSeriesChart(tr("Memory (GiB; dashed: the limit)"), gib, m_grid))
    , m_gpu(new TimeSeriesChart(tr("GPU utilisation (%; 100 = one GPU)"), percentText, m_grid))
    , m_gpuMemory(new TimeSeriesChart(tr("GPU memory (GiB; dashed: the GPUs' total)"), gib, m_grid))
{
    m_cpu->setObjectName(QStringLiteral("cpuChart"));
    m_memory->setObjectName(QStringLiteral("memoryChart"));
    m_gpu->setObjectName(QStringLiteral("gpuChart"));
    m_gpuMemory->setObjectName(QStringLiteral("gpuMemoryChart"));
    m_cpu->addLine(QStringLiteral("cpu"), tr("CPU"), QColor(0x1565c0));
    m_memory->addLine(QStringLiteral("mem"), tr("Memory"), QColor(0x2e7d32));
    m_memory->addLine(QStringLiteral("limit"), tr("Limit"), QColor(0xc62828), true);
    m_gpu->addLine(QStringLiteral("gpuUtil"), tr("GPU"), QColor(0x6a1b9a));
    m_gpuMemory->addLine(QStringLiteral("gpuMem"), tr("GPU memory"), QColor(0xe65100));
    m_gpuMemory->addLine(QStringLiteral("gpuTotal"), tr("GPU memory total"), QColor(0xc62828), true);
    auto *grid = new QGridLayout(m_grid);
    grid->setContentsMargins(0, 0, 0, 0);
    // One row: the Dashboard has a window's width to spare, not its height.
    grid->addWidget(m_cpu, 0, 0);
    grid->addWidget(m_memory, 0, 1);
    grid->addWidget(m_gpu, 0, 2);
    grid->addWidget(m_gpuMemory, 0, 3);
    m_gpu->hide();
    m_gpuMemory->hide();
    m_message->setObjectName(QStringLiteral("chartsMessage"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: palette(mid);"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_message);
    layout->addWidget(m_grid, 1);
    m_grid->hide();

    connect(m_link, &WorkerLink::eventReceived, this, [this](const QString &name, const QJsonValue &data) {
        const QJsonObject o = data.toObject();
        if (name == QLatin1String("runSample") && m_loaded
            && o.value(QLatin1String("uuid")).toString() == m_uuid) {
            addSample(o.value(QLatin1String("sample")).toObject());
        }
    });
    // A worker that comes back (restarted, reconnected) still has the history: ask again.
    connect(m_link, &WorkerLink::connectionChanged, this, [this](bool connected) {
        if (connected && !m_uuid.isEmpty()) {
            load();
        }
    });
    load(); // says how to get charts until a run is set
}

QString RunResourceCharts::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

bool RunResourceCharts::showsGpu() const
{
    return !m_gpu->isHidden();
}

void RunResourceCharts::setRun(const QString &uuid)
{
    if (uuid == m_uuid && (m_loaded || uuid.isEmpty())) {
        return;
    }
    m_uuid = uuid;
    load();
}

void RunResourceCharts::load()
{
    ++m_request;
    m_loaded = false;
    for (TimeSeriesChart *chart : { m_cpu, m_memory, m_gpu, m_gpuMemory }) {
        chart->clear();
    }
    m_grid->hide();
    if (m_uuid.isEmpty()) {
        m_message->setText(tr("Select a run to see its CPU, memory and GPU use over time."));
        m_message->show();
        return;
    }
    m_message->setText(tr("Asking the worker for the run's resource history…"));
    m_message->show();
    m_link->call(QStringLiteral("runHistory"), QJsonObject { { QStringLiteral("uuid"), m_uuid } }, this,
        [this, request = m_request](const QJsonValue &result, int errorCode, const QString &error) {
            if (request == m_request) {
                onHistory(result, errorCode, error);
            }
        });
}

void RunResourceCharts::onHistory(const QJsonValue &result, int errorCode, const QString &error)
{
    if (errorCode != 0) {
        // Runs this computer's worker never ran (or ran long ago) have no history here.
        m_message->setText(errorCode == 1
                ? tr("No resource history: this computer's worker did not run it (or no longer keeps it).")
                : tr("No resource history: %1").arg(error));
        Q_EMIT loaded(false);
        return;
    }
    const QJsonObject history = result.toObject();
    m_memoryLimit = history.value(QLatin1String("memoryLimit")).toDouble();
    m_gpuMemoryTotal = history.value(QLatin1String("gpuMemoryTotal")).toDouble();
    const QJsonArray samples = history.value(QLatin1String("samples")).toArray();
    const bool gpu = plot(samples, true);
    m_gpu->setVisible(gpu);
    m_gpuMemory->setVisible(gpu);
    m_loaded = true;
    m_grid->show();
    if (samples.isEmpty()) {
        m_message->setText(tr("No samples yet: the first comes a few seconds after the container starts."));
    } else {
        m_message->hide();
    }
    Q_EMIT loaded(true);
}

void RunResourceCharts::addSample(const QJsonObject &s)
{
    if (plot({ s }, false)) {
        m_gpu->show();
        m_gpuMemory->show();
    }
    m_message->hide();
}

bool RunResourceCharts::plot(const QJsonArray &samples, bool replace)
{
    QList<QPointF> cpu, mem, limit, gpuUtil, gpuMem, gpuTotal;
    bool gpuUsed = false;
    for (const QJsonValue &v : samples) {
        const QJsonObject s = v.toObject();
        const double t = s.value(QLatin1String("t")).toDouble();
        cpu << QPointF(t, s.value(QLatin1String("cpu")).toDouble());
        mem << QPointF(t, s.value(QLatin1String("mem")).toDouble() / GiB);
        if (m_memoryLimit > 0) {
            limit << QPointF(t, m_memoryLimit / GiB);
        }
        const double util = s.value(QLatin1String("gpuUtil")).toDouble(-1);
        const double used = s.value(QLatin1String("gpuMem")).toDouble(-1);
        if (util >= 0) {
            gpuUtil << QPointF(t, util);
        }
        if (used >= 0) {
            gpuMem << QPointF(t, used / GiB);
            if (m_gpuMemoryTotal > 0) {
                gpuTotal << QPointF(t, m_gpuMemoryTotal / GiB);
            }
        }
        gpuUsed = gpuUsed || util > 0 || used > 0;
    }
    const struct
    {
        TimeSeriesChart *chart;
        QString key;
        const QList<QPointF> &points;
    } lines[] = { { m_cpu, QStringLiteral("cpu"), cpu }, { m_memory, QStringLiteral("mem"), mem },
        { m_memory, QStringLiteral("limit"), limit }, { m_gpu, QStringLiteral("gpuUtil"), gpuUtil },
        { m_gpuMemory, QStringLiteral("gpuMem"), gpuMem },
        { m_gpuMemory, QStringLiteral("gpuTotal"), gpuTotal } };
    for (const auto &line : lines) {
        if (replace) {
            line.chart->setPoints(line.key, line.points);
        } else {
            for (const QPointF &p : line.points) {
                line.chart->append(line.key, p);
            }
        }
    }
    // A run on a GPU machine reads 0 when no process of it uses a GPU: charts of zeros only for runs that
    // were given a GPU or used one.
    return m_gpuMemoryTotal > 0 || gpuUsed;
}

} // namespace codalab::ui
