// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace codalab::docker {

/// Everything needed to create one container; toCreateBody() renders the Engine's create request.
/// Defaults are the safe ones: no network unless asked, never privileged.
struct ContainerSpec
{
    struct Mount
    {
        QString hostPath;
        QString containerPath;
        bool readOnly = true;
    };

    QString name; ///< sent as ?name=; empty lets Docker pick one
    QString image;
    QStringList cmd;
    std::optional<QStringList> entrypoint; ///< an empty list disables the image's entrypoint
    QString workingDir;
    QStringList env; ///< "KEY=value"
    QString user; ///< "uid:gid"
    QList<Mount> mounts;
    QString networkMode = QStringLiteral("none");
    qint64 memoryBytes = 0; ///< 0 = no limit
    std::optional<qint64> memorySwapBytes; ///< memory + swap; equal to memoryBytes means no swap
    QString cpusetCpus; ///< "0,2-3"
    qint64 shmSizeBytes = 0; ///< 0 = Docker's default
    qint64 pidsLimit = 0; ///< 0 = no limit
    QStringList securityOpt; ///< e.g. "no-new-privileges"
    QStringList gpuUuids; ///< NVIDIA GPUs handed over by DeviceRequests; only these are visible
    QMap<QString, QString> labels;
    bool tty = false;

    QJsonObject toCreateBody() const;
};

} // namespace codalab::docker
