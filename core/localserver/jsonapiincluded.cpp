// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/jsonapiincluded.h"

namespace codalab::localserver {

namespace {
QString keyOf(const QString &type, const QString &id)
{
    return type + QLatin1Char('\n') + id;
}
} // namespace

bool JsonApiIncluded::add(const QJsonObject &resource)
{
    const QString key = keyOf(
        resource.value(QLatin1String("type")).toString(), resource.value(QLatin1String("id")).toString());
    if (m_keys.contains(key)) {
        return false;
    }
    m_keys.insert(key);
    m_items.append(resource);
    return true;
}

bool JsonApiIncluded::contains(const QString &type, const QString &id) const
{
    return m_keys.contains(keyOf(type, id));
}

QJsonObject JsonApiIncluded::link(const QString &type, const QString &id)
{
    if (id.isEmpty()) {
        return QJsonObject { { QStringLiteral("data"), QJsonValue() } };
    }
    return QJsonObject { { QStringLiteral("data"),
        QJsonObject { { QStringLiteral("type"), type }, { QStringLiteral("id"), id } } } };
}

QJsonObject JsonApiIncluded::links(const QString &type, const QStringList &ids)
{
    QJsonArray data;
    for (const QString &id : ids) {
        data.append(QJsonObject { { QStringLiteral("type"), type }, { QStringLiteral("id"), id } });
    }
    return QJsonObject { { QStringLiteral("data"), data } };
}

} // namespace codalab::localserver
