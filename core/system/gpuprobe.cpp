// SPDX-License-Identifier: GPL-3.0-or-later
#include "system/gpuprobe.h"

#include <QStandardPaths>
#include <QTimer>

namespace codalab::system {

GpuProbe::GpuProbe(QString program, QObject *parent)
    : QObject(parent)
    , m_program(std::move(program))
{
    qRegisterMetaType<QList<GpuInfo>>();
}

void GpuProbe::start()
{
    const QString path
        = m_program.contains(QLatin1Char('/')) ? m_program : QStandardPaths::findExecutable(m_program);
    if (path.isEmpty()) {
        // A machine without NVIDIA's driver: a CPU worker, not a problem.
        QTimer::singleShot(0, this, [this] { done({}, {}); });
        return;
    }
    connect(&m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        const QByteArray out = m_process.readAllStandardOutput();
        if (status != QProcess::NormalExit || exitCode != 0) {
            const QString message = QString::fromUtf8(out + m_process.readAllStandardError()).simplified();
            done({},
                QStringLiteral("nvidia-smi failed (exit code %1): %2").arg(exitCode).arg(message.left(300)));
            return;
        }
        QStringList warnings;
        const QList<GpuInfo> gpus = GpuInfo::parseCsv(out, &warnings);
        done(gpus, warnings.join(QLatin1Char('\n')));
    });
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            done({}, QStringLiteral("nvidia-smi could not be started: %1").arg(m_process.errorString()));
        }
    });
    QTimer::singleShot(TimeoutMs, this, [this] {
        if (!m_done) {
            m_process.kill();
            done({}, QStringLiteral("nvidia-smi did not answer within %1 s").arg(TimeoutMs / 1000));
        }
    });
    m_process.start(path,
        { QStringLiteral("--query-gpu=") + GpuInfo::queryFields(),
            QStringLiteral("--format=csv,noheader,nounits") });
}

void GpuProbe::done(const QList<GpuInfo> &gpus, const QString &warning)
{
    if (m_done) {
        return;
    }
    m_done = true;
    Q_EMIT finished(gpus, warning);
}

} // namespace codalab::system
