// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/networkinfo.h"

namespace codalab::docker {

NetworkInfo NetworkInfo::fromInspect(const QJsonObject &json)
{
    NetworkInfo info;
    info.id = json.value(QLatin1String("Id")).toString();
    info.name = json.value(QLatin1String("Name")).toString();
    info.driver = json.value(QLatin1String("Driver")).toString();
    info.internal = json.value(QLatin1String("Internal")).toBool();
    info.containerIds = json.value(QLatin1String("Containers")).toObject().keys();
    const QJsonObject labels = json.value(QLatin1String("Labels")).toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        info.labels.insert(it.key(), it.value().toString());
    }
    return info;
}

} // namespace codalab::docker
