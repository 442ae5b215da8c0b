// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/containerspec.h"

#include <QJsonArray>

namespace codalab::docker {

QJsonObject ContainerSpec::toCreateBody() const
{
    QJsonObject body;
    body.insert(QLatin1String("Image"), image);
    if (!cmd.isEmpty()) {
        body.insert(QLatin1String("Cmd"), QJsonArray::fromStringList(cmd));
    }
    if (entrypoint) {
        // The Engine reads [""] as "no entrypoint"; an empty array would keep the image's.
        body.insert(QLatin1String("Entrypoint"),
            QJsonArray::fromStringList(entrypoint->isEmpty() ? QStringList { QString() } : *entrypoint));
    }
    if (!workingDir.isEmpty()) {
        body.insert(QLatin1String("WorkingDir"), workingDir);
    }
    if (!env.isEmpty()) {
        body.insert(QLatin1String("Env"), QJsonArray::fromStringList(env));
    }
    if (!user.isEmpty()) {
        body.insert(QLatin1String("User"), user);
    }
    QJsonObject labelObject;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        labelObject.insert(it.key(), it.value());
    }
    body.insert(QLatin1String("Labels"), labelObject);
    body.insert(QLatin1String("Tty"), tty);
    body.insert(QLatin1String("AttachStdin"), false);
    body.insert(QLatin1String("OpenStdin"), false);

    QJsonObject host;
    // Mounts rather than Binds: a path may contain ':' and a missing source is an error instead of a
    // root-owned directory silently created on the host.
    QJsonArray mountArray;
    for (const Mount &m : mounts) {
        mountArray.append(QJsonObject { { QLatin1String("Type"), QLatin1String("bind") },
            { QLatin1String("Source"), m.hostPath }, { QLatin1String("Target"), m.containerPath },
            { QLatin1String("ReadOnly"), m.readOnly } });
    }
    host.insert(QLatin1String("Mounts"), mountArray);
    host.insert(QLatin1String("NetworkMode"), networkMode.isEmpty() ? QStringLiteral("none") : networkMode);
    host.insert(QLatin1String("Privileged"), false);
    if (memoryBytes > 0) {
        host.insert(QLatin1String("Memory"), memoryBytes);
    }
    if (memorySwapBytes) {
        host.insert(QLatin1String("MemorySwap"), *memorySwapBytes);
    }
    if (!cpusetCpus.isEmpty()) {
        host.insert(QLatin1String("CpusetCpus"), cpusetCpus);
    }
    if (shmSizeBytes > 0) {
        host.insert(QLatin1String("ShmSize"), shmSizeBytes);
    }
    if (pidsLimit > 0) {
        host.insert(QLatin1String("PidsLimit"), pidsLimit);
    }
    if (!securityOpt.isEmpty()) {
        host.insert(QLatin1String("SecurityOpt"), QJsonArray::fromStringList(securityOpt));
    }
    if (!gpuUuids.isEmpty()) {
        // [["gpu"]], built step by step: clang reads `QJsonArray { QJsonArray { x } }` as a copy of the inner
        // array (one-element braces of the same type), which gives ["gpu"] and a daemon that refuses it.
        QJsonArray capabilities;
        capabilities.append(QJsonArray { QLatin1String("gpu") });
        QJsonArray requests;
        requests.append(QJsonObject { { QLatin1String("Driver"), QLatin1String("nvidia") },
            { QLatin1String("DeviceIDs"), QJsonArray::fromStringList(gpuUuids) },
            { QLatin1String("Capabilities"), capabilities } });
        host.insert(QLatin1String("DeviceRequests"), requests);
    }
    body.insert(QLatin1String("HostConfig"), host);
    return body;
}

} // namespace codalab::docker
