// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apierror.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QStringList>

namespace codalab::server {
class ApiJob;
class WorkerApi;
} // namespace codalab::server

namespace codalab::worker {

struct ReadAnswer;

/// Answers the server's `read` messages for the runs of this worker (codalab-protocol.md §3.4, §3.6), and
/// carries out its `write` messages.
///
/// Usage: for a `read` of a run the worker holds, handleRead(message, its run directory, the top-level names
/// of its dependency links); for one of a bundle it does not hold, replyNotRunning(message). The files are
/// read by RunFileReader on the global QThreadPool, then the answer goes back through WorkerApi: reply()
/// for JSON, replyDataFile() for data, streamed from a temporary file in `tempDir` that is deleted once
/// the call finished. replied() follows once per message with a socket id, when the server took the reply
/// or the call failed. handleWrite() does the same for `write` messages (which have no reply) and reports
/// each through wrote(). Lives in the application's main thread, as the worker's services do; deleting it
/// drops answers still being read (their files are removed) and forgets calls in flight.
class RunReadService : public QObject
{
    Q_OBJECT
public:
    RunReadService(server::WorkerApi *api, QString tempDir, QObject *parent = nullptr);
    ~RunReadService() override;

    void handleRead(const QJsonObject &message, const QString &runDir, const QStringList &hidden);
    /// {"error_code": 500, "error_message": "Bundle no longer running"}, on which the server retries once.
    void replyNotRunning(const QJsonObject &message);
    void handleWrite(const QJsonObject &message, const QString &runDir, const QStringList &hidden);

Q_SIGNALS:
    void replied(int socketId, const codalab::server::ApiError &error);
    /// `error` is empty when the text was written.
    void wrote(const QString &uuid, const QString &subpath, const QString &error);

private:
    void send(int socketId, const ReadAnswer &answer);
    void track(server::ApiJob *job, int socketId, const QString &dataFile);

    server::WorkerApi *m_api;
    QString m_tempDir;
    QHash<server::ApiJob *, QString> m_dataFiles; ///< data replies being sent, and the files they come from
};

} // namespace codalab::worker
