// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace codalab::system {

/// One NVIDIA GPU as `nvidia-smi --query-gpu=...` describes it.
struct GpuInfo
{
    int index = -1;
    QString uuid; ///< "GPU-…": how workers and containers name a GPU
    QString name;
    qint64 memoryTotalMiB = -1; ///< -1 when nvidia-smi says [N/A]
    qint64 memoryUsedMiB = -1;
    int utilizationPercent = -1;
    QString driverVersion;

    /// The fields nvidia-smi is asked for, in the order parseCsv() reads them.
    static QString queryFields();
    /// Lines of `--format=csv,noheader,nounits`; a line that does not parse is skipped and named in
    /// *warnings.
    QJsonObject toJson() const;
    static GpuInfo fromJson(const QJsonObject &json);

    static QList<GpuInfo> parseCsv(const QByteArray &output, QStringList *warnings = nullptr);
};

} // namespace codalab::system
