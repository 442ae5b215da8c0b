// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/httpresponder.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace codalab::localserver {

/// A worker as its last check-in described it, with what waits for it. Kept in memory: after a server
/// restart workers check in again within seconds and the bundles remember which worker they are on.
struct WorkerState
{
    QString userId;
    QString workerId;
    QString tag;
    QString groupName;
    int cpus = 0;
    int gpus = 0;
    qint64 memoryBytes = 0;
    qint64 freeDiskBytes = 0;
    qint64 checkinTime = 0; ///< epoch seconds
    bool sharedFileSystem = false;
    bool tagExclusive = false;
    int exitAfterNumRuns = 999999999; ///< runs it will still start; the scheduler counts it down
    bool isTerminating = false;
    bool preemptible = false;
    QJsonArray dependencies; ///< [[parent_uuid, parent_path], ...] in its cache
    QSet<QString> runUuids; ///< runs it reported last time
    /// Runs it was sent mark_finalized for since this server started: after a restart a finalizing run is
    /// told again, since the message may have been lost with the old process.
    QSet<QString> finalizeQueued;
    /// Runs assigned to it that its check-ins did not list, with how many in a row did not.
    QHash<QString, int> unclaimed;
    QList<QJsonObject> messages; ///< queued for its next check-in, oldest first
    std::optional<HttpResponder> pendingCheckin; ///< the long poll in flight, if any
    quint64 pendingSerial = 0; ///< which long poll the timer belongs to
    bool wakeRequested = false; ///< a wake found no long poll: answer the next one at once

    QString key() const { return userId + QLatin1Char('/') + workerId; }
};

} // namespace codalab::localserver
