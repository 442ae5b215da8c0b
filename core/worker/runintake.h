// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/runrecord.h"

#include <QObject>
#include <QSet>

namespace codalab::server {
class WorkerApi;
}

namespace codalab::worker {

/// Takes a `run` message to a confirmed run (codalab-protocol.md §3.4–3.5): checks the message, asks the
/// server with start_bundle whether the run is still this worker's, and hands it on only when the answer
/// is `true`. Runs whose start_bundle is in flight count against the free slots, so a check-in never
/// offers a slot twice.
class RunIntake : public QObject
{
    Q_OBJECT
public:
    RunIntake(server::WorkerApi *api, QString hostname, QObject *parent = nullptr);

    /// Starts the start_bundle call for a valid message; false (and *why) when it is malformed or taken.
    bool offer(const QJsonObject &message, QString *uuid, QString *why);
    int pending() const { return int(m_starting.size()); }
    bool isPending(const QString &uuid) const { return m_starting.contains(uuid); }

Q_SIGNALS:
    /// The server confirmed the run; bundleStartTime is set.
    void confirmed(const codalab::worker::RunRecord &record);
    /// The server said no, or could not be asked (it will give the run to another worker).
    void declined(const QString &uuid, const QString &why);

private:
    server::WorkerApi *m_api;
    QString m_hostname;
    QSet<QString> m_starting;
};

} // namespace codalab::worker
