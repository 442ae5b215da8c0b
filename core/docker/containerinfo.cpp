// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/containerinfo.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace codalab::docker {

namespace {

QMap<QString, QString> labelsFrom(const QJsonValue &value)
{
    QMap<QString, QString> labels;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        labels.insert(it.key(), it.value().toString());
    }
    return labels;
}

QString stripSlash(QString name)
{
    return name.startsWith(QLatin1Char('/')) ? name.mid(1) : name;
}

} // namespace

QDateTime ContainerInfo::parseTime(const QString &text)
{
    if (text.isEmpty() || text.startsWith(QLatin1String("0001-01-01"))) {
        return {};
    }
    // Qt reads at most milliseconds: cut "2024-01-02T03:04:05.123456789Z" to ".123Z".
    static const QRegularExpression fraction(QStringLiteral("\\.(\\d{1,3})\\d*"));
    QString trimmed = text;
    trimmed.replace(fraction, QStringLiteral(".\\1"));
    QDateTime time = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    return time.isValid() ? time.toUTC() : QDateTime();
}

ContainerInfo ContainerInfo::fromInspect(const QJsonObject &json)
{
    ContainerInfo info;
    info.id = json.value(QLatin1String("Id")).toString();
    info.name = stripSlash(json.value(QLatin1String("Name")).toString());
    info.imageId = json.value(QLatin1String("Image")).toString();
    const QJsonObject config = json.value(QLatin1String("Config")).toObject();
    info.image = config.value(QLatin1String("Image")).toString();
    info.tty = config.value(QLatin1String("Tty")).toBool();
    info.labels = labelsFrom(config.value(QLatin1String("Labels")));
    const QJsonObject state = json.value(QLatin1String("State")).toObject();
    info.status = state.value(QLatin1String("Status")).toString();
    info.running = state.value(QLatin1String("Running")).toBool();
    info.oomKilled = state.value(QLatin1String("OOMKilled")).toBool();
    info.exitCode = state.value(QLatin1String("ExitCode")).toInt();
    info.pid = state.value(QLatin1String("Pid")).toInteger();
    info.error = state.value(QLatin1String("Error")).toString();
    info.startedAt = parseTime(state.value(QLatin1String("StartedAt")).toString());
    info.finishedAt = parseTime(state.value(QLatin1String("FinishedAt")).toString());
    return info;
}

ContainerInfo ContainerInfo::fromListEntry(const QJsonObject &json)
{
    ContainerInfo info;
    info.id = json.value(QLatin1String("Id")).toString();
    const QJsonArray names = json.value(QLatin1String("Names")).toArray();
    if (!names.isEmpty()) {
        info.name = stripSlash(names.first().toString());
    }
    info.image = json.value(QLatin1String("Image")).toString();
    info.imageId = json.value(QLatin1String("ImageID")).toString();
    info.status = json.value(QLatin1String("State")).toString();
    info.running = info.status == QLatin1String("running");
    info.labels = labelsFrom(json.value(QLatin1String("Labels")));
    return info;
}

} // namespace codalab::docker
