// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apierror.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <memory>

class QNetworkReply;
class QTimer;

namespace codalab::util {
class TaskLink;
}

namespace codalab::server {
class ServerConnection;
}

namespace codalab::worker {

/// Uploads a finished run's directory as its bundle's contents (codalab-protocol.md §3.8, §4.5, §7):
/// `PUT /rest/bundles/<uuid>/contents/blob/?filename=bundle.tar.gz&finalize_on_success=0&store=<store>`
/// with the body `tar czf - -C <runDir> [--exclude=P ...] .` (util::TarGzWriter).
///
/// The archive is first written on a pool thread to a temporary file next to the run directory
/// (".<run dir name>.upload-XXXXXX" in its parent) and then streamed from that file with a Content-Length:
/// Qt 6.4's QNetworkAccessManager never sends a body of unknown length chunked: given a sequential device
/// without a Content-Length it reads the device whole into memory to learn the length, even with
/// DoNotBufferUploadDataAttribute set, so the chunked upload upstream's worker makes is not possible through
/// it. The archive is never whole in memory, and every retry sends the same file again from its start. The
/// file is removed when the upload finishes, is cancelled or this object is deleted, and one left by a killed
/// worker is removed when the same run directory is uploaded again.
///
/// Retries: network errors, stalls (no byte moved for the transfer timeout) and 5xx are retried up to
/// maxAttempts in all, the pause doubling from firstDelayMs up to maxDelayMs (upstream: 720 tries, ~6 h);
/// a 4xx is final at once, except one 401 that gets a new token first. An archive that cannot be written
/// (an unreadable file, a full disk) is final, as a Kind::Client error.
///
/// Usage: connect finished() (and progress()/attemptFailed() for the run status), then start(). finished()
/// comes once, with kind None for HTTP 200. cancel() or deleting the object stops everything, and nothing
/// is emitted after cancel(). The object is not deleted by itself.
class ResultUploader : public QObject
{
    Q_OBJECT
public:
    ResultUploader(server::ServerConnection *connection, QString bundleUuid, QString runDir,
        QStringList excludePatterns, QString store, QObject *parent = nullptr);
    ~ResultUploader() override;

    void setRetryPolicy(int maxAttempts = 720, int firstDelayMs = 1000, int maxDelayMs = 30000);
    /// How long a transfer may go without moving a byte before it counts as a (transient) failure. After the
    /// last byte the server unpacks the archive before it answers, so this also bounds that wait.
    void setTransferTimeoutMs(int ms) { m_transferTimeoutMs = ms; }

    void start();
    /// Stops packing, sending or waiting; nothing is emitted afterwards.
    void cancel();

    /// Compressed bytes sent in the current (or last) attempt.
    qint64 bytesSent() const { return m_bytesSent; }
    /// The size of the archive being sent; -1 until it is written.
    qint64 archiveSize() const { return m_archiveSize; }
    /// HTTP attempts made so far.
    int attempts() const { return m_attempts; }

    static constexpr int DefaultTransferTimeoutMs = 300000;

Q_SIGNALS:
    /// For "Uploading results: <size> uploaded (archived size).".
    void progress(qint64 bytesSent);
    /// An attempt failed with a transient error; the next one starts after `delayMs`.
    void attemptFailed(const codalab::server::ApiError &error, int attempt, int delayMs);
    void finished(const codalab::server::ApiError &error);

private:
    struct Archive;
    enum class State { Idle, Packing, Sending, Waiting, Done };

    void pack();
    void onPacked(const QString &error, qint64 size);
    void sendAttempt();
    void send(const QString &token);
    void onReply();
    void fail(const server::ApiError &error);
    void finish(const server::ApiError &error);
    void stopTransfer();
    void discardArchive();

    server::ServerConnection *m_connection;
    QString m_uuid;
    QString m_runDir;
    QStringList m_excludePatterns;
    QString m_store;
    int m_maxAttempts = 720;
    int m_firstDelayMs = 1000;
    int m_maxDelayMs = 30000;
    int m_transferTimeoutMs = DefaultTransferTimeoutMs;
    State m_state = State::Idle;
    std::shared_ptr<util::TaskLink> m_link;
    std::shared_ptr<Archive> m_archive;
    QString m_archivePath;
    qint64 m_archiveSize = -1;
    QPointer<QNetworkReply> m_reply;
    QTimer *m_retryTimer;
    qint64 m_bytesSent = 0;
    int m_attempts = 0;
    /// Tokens fetched again after the server refused one: a few, since the other workers of one account
    /// (a cluster's jobs) each revoke the token of the others when they log in.
    int m_renewals = 0;
    static constexpr int MaxRenewals = 5;
};

} // namespace codalab::worker
