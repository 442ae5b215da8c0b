// SPDX-License-Identifier: GPL-3.0-or-later
#include "system/gpuprocessprobe.h"

#include "system/cgroupcontainer.h"

#include <QPointer>
#include <QProcess>
#include <QStandardPaths>
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
    return m_program.contains(QLatin1Char('/')) ? m_program : QStandardPaths::findExecutable(m_program);
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

void GpuProcessProbe::runStep(const QString &path, const QStringList &arguments, StepDone done)
{
    auto *process = new QProcess(this);
    auto settled = std::make_shared<bool>(false);
    const QString what = QStringLiteral("nvidia-smi %1").arg(arguments.first());
    const auto settle = [process, settled, done](const QByteArray &out, const QString &error) {
        if (*settled) {
            return;
        }
        *settled = true;
        process->deleteLater();
        done(out, error);
    };
    connect(process, &QProcess::finished, this,
        [process, settle, what](int exitCode, QProcess::ExitStatus status) {
            const QByteArray out = process->readAllStandardOutput();
            if (status != QProcess::NormalExit || exitCode != 0) {
                const QString message = QString::fromUtf8(out + process->readAllStandardError()).simplified();
                settle({},
                    QStringLiteral("%1 failed (exit code %2): %3")
                        .arg(what)
                        .arg(exitCode)
                        .arg(message.left(300)));
                return;
            }
            settle(out, {});
        });
    connect(process, &QProcess::errorOccurred, this, [process, settle, what](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            settle({}, QStringLiteral("%1 could not be started: %2").arg(what, process->errorString()));
        }
    });
    QTimer::singleShot(TimeoutMs, process, [process, settle, what] {
        process->disconnect();
        process->kill();
        settle({}, QStringLiteral("%1 did not answer within %2 s").arg(what).arg(TimeoutMs / 1000));
    });
    process->start(path, arguments);
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
