// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlestore.h"
#include "localserver/httprequest.h"
#include "localserver/localserverconfig.h"
#include "localserver/runreconciler.h"
#include "localserver/workerstate.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>

namespace codalab::localserver {

class LocalHttpServer;

/// The worker side of the protocol (codalab-protocol.md §3): check-ins as long polls that are answered
/// at once when a message is queued (one message per answer), start_bundle, run reports applied to
/// bundles as upstream's bundle_checkin does, mark_finalized, replies to `read` requests, and
/// /rest/workers/info. A worker that misses check-ins for workerTimeoutSec is dropped and its runs become
/// worker_offline (staged on a preemptible worker) until it reports them again; a run left `starting`
/// for startingTimeoutSec goes back to `staged`. After a server restart, runs whose worker has not checked
/// in within workerTimeoutSec of the start become worker_offline the same way. A run its worker stops
/// listing in its check-ins (three in a row) is not on that worker: staged again if it was still
/// preparing (its start_bundle answer was lost), worker_offline if it was running, as upstream.
class WorkerHub : public QObject
{
    Q_OBJECT
public:
    /// A user waiting on a worker's `reply`/`reply_data` for socket `id`.
    using ReplyHandler = std::function<void(const QJsonObject &header, const QByteArray &data, bool isData)>;

    WorkerHub(
        BundleStore &bundles, const LocalServerConfig &config, QString bundlesDir, QObject *parent = nullptr);
    void install(LocalHttpServer &http);

    QHash<QString, WorkerState> &workers() { return m_workers; }
    /// Queues `message` for the worker (key: userId/workerId); false when that worker is not connected.
    bool send(const QString &workerKey, const QJsonObject &message);
    /// The worker a bundle is assigned to, if it is connected.
    WorkerState *workerOf(const BundleRecord &bundle);
    /// A new socket id for a `read` message; `handler` gets the worker's reply, or an error after the
    /// timeout (header {"error_code": 500, "error_message": "Unable to reach worker"}).
    int openSocket(ReplyHandler handler, int timeoutMs = 60000);

    /// Answers the pending check-in of every worker with this id at once ([null] when nothing is queued), so
    /// a worker in the same process (codalab-worker --local) reports a change without waiting out the poll.
    void wake(const QString &workerId);
    /// Runs the timeouts now (it also runs every second).
    void housekeeping();
    /// Called after changes the scheduler may act on.
    std::function<void()> onChanged;

private:
    void checkin(HttpRequest &request, const HttpResponder &responder);
    void startBundle(HttpRequest &request, const HttpResponder &responder);
    void reply(HttpRequest &request, const HttpResponder &responder, bool isData);
    void info(HttpRequest &request, const HttpResponder &responder);
    void applyReport(WorkerState &worker, const QJsonObject &report);
    /// Answers the pending check-in with the next message, or [null] when `idle`.
    void deliver(WorkerState &worker, bool idle);
    void changed();
    /// Queues mark_finalized for `uuid` unless it already was, this server life.
    void queueMarkFinalized(WorkerState &worker, const QString &uuid);

    BundleStore &m_bundles;
    RunReconciler m_reconciler;
    const LocalServerConfig &m_config;
    QString m_bundlesDir;
    QHash<QString, WorkerState> m_workers;
    struct PendingReply
    {
        ReplyHandler handler;
        QTimer *timer = nullptr;
        QString userId;
    };
    QHash<int, PendingReply> m_replies;
    int m_nextSocket = 1;
    quint64 m_nextSerial = 1;
    QTimer m_housekeeping;
    qint64 m_startedAt = 0; ///< epoch seconds
    bool m_absentChecked = false; ///< runs of workers that never came back after the start were handled
};

} // namespace codalab::localserver
