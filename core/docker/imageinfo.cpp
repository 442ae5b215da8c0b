// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/imageinfo.h"

#include "docker/containerinfo.h"

#include <QJsonArray>

namespace codalab::docker {

namespace {

QStringList strings(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray()) {
        // The list answer shows "<none>:<none>" for untagged images; that is no tag.
        const QString s = v.toString();
        if (!s.isEmpty() && !s.startsWith(QLatin1String("<none>"))) {
            out.append(s);
        }
    }
    return out;
}

} // namespace

bool ImageInfo::isBookkeepingTag(const QString &tag)
{
    return tag.startsWith(QLatin1String("codalab-image-cache/"));
}

QStringList ImageInfo::userTags() const
{
    QStringList out;
    for (const QString &tag : repoTags) {
        if (!isBookkeepingTag(tag)) {
            out << tag;
        }
    }
    return out;
}

ImageInfo ImageInfo::fromInspect(const QJsonObject &json)
{
    ImageInfo info;
    info.id = json.value(QLatin1String("Id")).toString();
    info.repoTags = strings(json.value(QLatin1String("RepoTags")));
    info.repoDigests = strings(json.value(QLatin1String("RepoDigests")));
    info.sizeBytes = json.value(QLatin1String("Size")).toInteger();
    info.created = ContainerInfo::parseTime(json.value(QLatin1String("Created")).toString());
    return info;
}

ImageInfo ImageInfo::fromListEntry(const QJsonObject &json)
{
    ImageInfo info;
    info.id = json.value(QLatin1String("Id")).toString();
    info.repoTags = strings(json.value(QLatin1String("RepoTags")));
    info.repoDigests = strings(json.value(QLatin1String("RepoDigests")));
    info.sizeBytes = json.value(QLatin1String("Size")).toInteger();
    info.created = QDateTime::fromSecsSinceEpoch(json.value(QLatin1String("Created")).toInteger(), Qt::UTC);
    return info;
}

} // namespace codalab::docker
