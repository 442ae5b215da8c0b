// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

namespace codalab::localserver {

/// The `included` list of a JSON:API answer: each resource once, by (type, id), in the order first added.
/// The Python client matches relationships to included resources by that pair.
class JsonApiIncluded
{
public:
    /// Adds `resource` unless one of its type and id is there; returns whether it was added.
    bool add(const QJsonObject &resource);
    bool contains(const QString &type, const QString &id) const;
    const QJsonArray &array() const { return m_items; }

    /// {"data": {"type": type, "id": id}}, or {"data": null} for an empty id.
    static QJsonObject link(const QString &type, const QString &id);
    static QJsonObject links(const QString &type, const QStringList &ids);

private:
    QJsonArray m_items;
    QSet<QString> m_keys;
};

} // namespace codalab::localserver
