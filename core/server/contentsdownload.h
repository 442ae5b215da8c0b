// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apierror.h"
#include "util/safearchive.h"

#include <QFile>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>

#include <memory>

class QNetworkReply;

namespace codalab::server {

class ServerConnection;

/// The contents of a bundle, or a path in it, fetched as upstream's worker fetches a dependency
/// (codalab-protocol.md §3.7): the target's info, then its blob with support_redirect=1. The worker's
/// dependency cache and the desktop's Save use it. A 303 to blob storage is followed without the
/// Authorization header. The body is written to a file as it arrives, never held whole; a directory arrives
/// as tar.gz and is unpacked with util::SafeArchive on a pool thread, a file is moved into place.
///
/// Usage: WorkerApi::downloadDependency() returns it started; progress() as bytes arrive, finished() once.
class ContentsDownload : public QObject
{
    Q_OBJECT
public:
    ContentsDownload(ServerConnection *connection, QString uuid, QString path, QString target,
        util::ArchiveLimits limits, QObject *parent);
    ~ContentsDownload() override;

    void start();
    void cancel();
    qint64 bytesReceived() const { return m_received; }
    bool isDirectory() const { return m_directory; }
    /// The target's size as the server gave it (a directory's: its files, unpacked); -1 until known.
    qint64 targetSize() const { return m_targetSize; }

    static constexpr int MaxRedirects = 5;

Q_SIGNALS:
    void progress(qint64 bytesReceived);
    void finished(const codalab::server::ApiError &error);

private:
    void fetchBlob(const QString &token);
    void get(const QNetworkRequest &request, int redirects);
    void onBlobFinished(QNetworkReply *reply, int redirects);
    void unpack();
    void finish(const ApiError &error);
    bool writeAll(const QByteArray &data);
    ApiError writeError() const;

    ServerConnection *m_connection;
    QString m_uuid;
    QString m_path;
    QString m_target;
    util::ArchiveLimits m_limits;
    std::unique_ptr<QFile> m_partial;
    QPointer<QNetworkReply> m_reply;
    qint64 m_received = 0;
    qint64 m_targetSize = -1;
    bool m_directory = false;
    bool m_done = false;
};

} // namespace codalab::server
