// SPDX-License-Identifier: GPL-3.0-or-later
#include "system/gpuprocessprobe.h"

#include "system/cgroupcontainer.h"
#include "system/nvidiasmi.h"

#include <QPointer>
#include <QTimer>

namespace codalab::system {

GpuProcessProbe::GpuProcessProbe(QString program, QString procRoot, QObject *parent)
    : QObject(parent)
    , m_program(std::move(program))
    , m_procRoot(std::move(procRoot))
{
    qRegisterMetaType<QList<GpuProcess>>();
}

QString GpuProcessProbe::programPath() const
{
    return NvidiaSmi::find(m_program);
}

QHash<QString, GpuProcessProbe::Use> GpuProcessProbe::perContainer(const QList<GpuProcess> &processes)
{
    QHash<QString, Use> uses;
    for (const GpuProcess &p : processes) {
        if (p.containerId.isEmpty()) {
            continue;
        }
        Use &u = uses[p.containerId];
        if (p.memoryBytes >= 0) {
            u.memoryBytes = qMax<qint64>(0, u.memoryBytes) + p.memoryBytes;
        }
        if (p.smPercent >= 0) {
            u.utilizationPercent = qMax(0, u.utilizationPercent) + p.smPercent;
        }
        for (const QString &g : p.gpuUuids) {
            if (!u.gpuUuids.contains(g)) {
                u.gpuUuids << g;
            }
        }
    }
    return uses;
}

bool GpuProcessProbe::start()
{
    if (m_running) {
        return false;
    }
    m_running = true;
    m_warnings.clear();
    m_pmonOk = false;
    const QString path = programPath();
    if (path.isEmpty()) {
        QTimer::singleShot(0, this, [this] { finish({}, QStringLiteral("no nvidia-smi on this machine")); });
        return true;
    }
    runStep(path,
        { QStringLiteral("--query-compute-apps=pid,gpu_uuid,used_memory"),
            QStringLiteral("--format=csv,noheader,nounits") },
        [this, path](const QByteArray &appsOut, const QString &appsError) {
            if (!appsError.isEmpty()) {
                finish({}, appsError);
                return;
            }
            const QList<GpuProcess> apps = GpuProcess::parseComputeApps(appsOut, &m_warnings);
            runStep(path,
                { QStringLiteral("pmon"), QStringLiteral("-c"), QStringLiteral("1"), QStringLiteral("-s"),
                    QStringLiteral("um") },
                [this, apps](const QByteArray &pmonOut, const QString &pmonError) {
                    // Some GPUs (and vGPUs) do not support pmon: the memory figures still hold.
                    m_pmonOk = pmonError.isEmpty();
                    if (!m_pmonOk) {
                        m_warnings << pmonError;
                    }
                    const QList<GpuProcess> pmon = pmonError.isEmpty()
                        ? GpuProcess::parsePmon(pmonOut, &m_warnings)
                        : QList<GpuProcess>();
                    finish(GpuProcess::merge(apps, pmon), {});
                });
        });
    return true;
}

void GpuProcessProbe::runStep(const QString &path, const QStringList &arguments, NvidiaSmi::Done done)
{
    NvidiaSmi::run(
        this, path, arguments, QStringLiteral("nvidia-smi %1").arg(arguments.first()), std::move(done));
}

void GpuProcessProbe::finish(QList<GpuProcess> processes, const QString &error)
{
    QList<GpuProcess> alive;
    for (GpuProcess &p : processes) {
        QString why;
        const auto container = CgroupContainer::ofPid(m_procRoot, p.pid, &why);
        if (!container) {
            continue; // it ended between nvidia-smi's answer and now: nothing of it left to count
        }
        p.containerId = *container;
        alive.append(p);
    }
    m_running = false;
    Q_EMIT finished(alive, error, m_warnings);
}

} // namespace codalab::system
