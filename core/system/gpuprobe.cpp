// SPDX-License-Identifier: GPL-3.0-or-later
#include "system/gpuprobe.h"

#include "system/nvidiasmi.h"

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
    const QString path = NvidiaSmi::find(m_program);
    if (path.isEmpty()) {
        // A machine without NVIDIA's driver: a CPU worker, not a problem.
        QTimer::singleShot(0, this, [this] { done({}, {}); });
        return;
    }
    NvidiaSmi::run(this, path,
        { QStringLiteral("--query-gpu=") + GpuInfo::queryFields(),
            QStringLiteral("--format=csv,noheader,nounits") },
        QStringLiteral("nvidia-smi"), [this](const QByteArray &out, const QString &error) {
            if (!error.isEmpty()) {
                done({}, error);
                return;
            }
            QStringList warnings;
            const QList<GpuInfo> gpus = GpuInfo::parseCsv(out, &warnings);
            done(gpus, warnings.join(QLatin1Char('\n')));
        });
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
