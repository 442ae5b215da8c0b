// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apijob.h"
#include "util/safearchive.h"

#include <QJsonObject>
#include <QObject>

namespace codalab::server {

class ContentsDownload;
class ServerConnection;

/// The worker side of the CodaLab REST API (codalab-protocol.md §3): check-in, start_bundle, replies,
/// dependency downloads and result uploads, for one worker id.
class WorkerApi : public QObject
{
    Q_OBJECT
public:
    WorkerApi(ServerConnection *connection, QString workerId, QObject *parent = nullptr);

    /// The server holds a check-in up to 5 s; the call allows that plus slack, and is tried once (the
    /// worker's loop decides when to check in again).
    ApiJob *checkin(const QJsonObject &body);
    /// Answers JSON true (still ours: run it) or false.
    ApiJob *startBundle(const QString &uuid, const QString &hostname, qint64 startTime);
    ApiJob *reply(int socketId, const QJsonObject &message);
    ApiJob *replyData(int socketId, const QByteArray &data, const QJsonObject &header = {});
    /// replyData() with the body streamed from the file at `path` (a gzipped file or directory can be large).
    /// The file must stay until the job finished: a retry reads it again.
    ApiJob *replyDataFile(int socketId, const QString &path, const QJsonObject &header = {});
    /// Downloads (uuid, path) to `target`: a file, or a directory unpacked safely from the server's tar.gz.
    ContentsDownload *downloadDependency(const QString &uuid, const QString &path, const QString &target,
        const util::ArchiveLimits &limits = {});
    /// Uploads a run's results, a tar.gz already written to `archivePath`, streamed from disk.
    ApiJob *uploadResults(const QString &uuid, const QString &archivePath, const QString &store = {});

    static constexpr int CheckinTimeoutMs = 5000 + 25000;

private:
    ServerConnection *m_connection;
    QString m_workerId;
    QString m_path; ///< "/workers/<url-quoted id>"
};

} // namespace codalab::server
