// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHashFunctions>
#include <QJsonArray>
#include <QMetaType>
#include <QString>

namespace codalab::worker {

/// What a run depends on: a bundle, or one path inside it (empty path = the whole bundle). The key of the
/// worker's dependency cache, and what a check-in lists as `[parent_uuid, parent_path]`
/// (codalab-protocol.md §4.6).
struct DependencyKey
{
    QString parentUuid;
    QString parentPath;

    /// `[uuid, path]`, the form of one element of a check-in's `dependencies`.
    QJsonArray toJson() const { return QJsonArray { parentUuid, parentPath }; }
    /// "uuid" or "uuid/path", for messages and logs.
    QString toString() const
    {
        return parentPath.isEmpty() ? parentUuid : parentUuid + QLatin1Char('/') + parentPath;
    }

    friend bool operator==(const DependencyKey &a, const DependencyKey &b)
    {
        return a.parentUuid == b.parentUuid && a.parentPath == b.parentPath;
    }
    friend bool operator!=(const DependencyKey &a, const DependencyKey &b) { return !(a == b); }
};

inline size_t qHash(const DependencyKey &key, size_t seed = 0) noexcept
{
    return qHashMulti(seed, key.parentUuid, key.parentPath);
}

} // namespace codalab::worker

Q_DECLARE_METATYPE(codalab::worker::DependencyKey)
