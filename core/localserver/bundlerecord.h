// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace codalab::localserver {

struct DependencyRecord
{
    QString childUuid;
    QString childPath;
    QString parentUuid;
    QString parentPath;
};

/// A bundle row: what upstream's bundle table and its metadata hold.
struct BundleRecord
{
    qint64 seq = 0; ///< insertion order; `^N` and "newest first" use it
    QString uuid;
    QString bundleType; ///< "run", "dataset", ...
    QString ownerId;
    QString command;
    QString state;
    QJsonObject metadata;
    QList<DependencyRecord> dependencies;
    bool isAnonymous = false;
    qint64 frozen = 0; ///< epoch seconds it was frozen (`cl edit --freeze`); 0 = not frozen
    QString workerId; ///< the worker the run is assigned to, if any
    QString workerUserId;
    qint64 stateChanged = 0; ///< epoch seconds of the last state change

    bool isFinal() const;
};

} // namespace codalab::localserver
