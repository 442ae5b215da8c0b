// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/resultuploader.h"

#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "util/bundleuuid.h"
#include "util/logging.h"
#include "util/targzwriter.h"
#include "util/tasklink.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTemporaryFile>
#include <QThreadPool>
#include <QTimer>
#include <QUrlQuery>

#include <atomic>

namespace codalab::worker {

using server::ApiError;

/// The archive file, shared by the uploader and the pool task that writes it. Whoever comes last removes
/// it: the task when the uploader cancelled before it was done, the uploader otherwise.
struct ResultUploader::Archive
{
    QMutex mutex;
    std::atomic<bool> cancelled { false };
    bool done = false; ///< the task has finished with the file
    QString path;
};

namespace {

// A temporary file that refuses further writes once the upload is cancelled, which makes TarGzWriter stop
// at its next block instead of packing a large run directory for nothing.
class CancellableFile : public QTemporaryFile
{
public:
    CancellableFile(const QString &templateName, const std::atomic<bool> *cancelled)
        : QTemporaryFile(templateName)
        , m_cancelled(cancelled)
    { }

protected:
    qint64 writeData(const char *data, qint64 length) override
    {
        if (m_cancelled->load(std::memory_order_relaxed)) {
            setErrorString(QStringLiteral("cancelled"));
            return -1;
        }
        return QTemporaryFile::writeData(data, length);
    }

private:
    const std::atomic<bool> *m_cancelled;
};

} // namespace

ResultUploader::ResultUploader(server::ServerConnection *connection, QString bundleUuid, QString runDir,
    QStringList excludePatterns, QString store, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_uuid(std::move(bundleUuid))
    , m_runDir(QDir::cleanPath(runDir))
    , m_excludePatterns(std::move(excludePatterns))
    , m_store(std::move(store))
    , m_link(std::make_shared<util::TaskLink>(this))
    , m_archive(std::make_shared<Archive>())
    , m_retryTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &ResultUploader::sendAttempt);
}

ResultUploader::~ResultUploader()
{
    m_link->detach();
    stopTransfer();
    discardArchive();
}

void ResultUploader::setRetryPolicy(int maxAttempts, int firstDelayMs, int maxDelayMs)
{
    m_maxAttempts = qMax(1, maxAttempts);
    m_firstDelayMs = qMax(0, firstDelayMs);
    m_maxDelayMs = qMax(m_firstDelayMs, maxDelayMs);
}

void ResultUploader::start()
{
    if (m_state != State::Idle) {
        qCWarning(lcWorkerRun) << "The upload of" << m_uuid << "was already started";
        return;
    }
    m_state = State::Packing;
    // Bad input is reported like every other outcome: by finished(), on a later turn of the event loop.
    ApiError error;
    if (m_connection->serverUrl().isEmpty()) {
        error = ApiError::make(ApiError::Kind::InvalidUrl, QStringLiteral("No CodaLab server is set"));
    } else if (!util::BundleUuid::isValid(m_uuid)) {
        error = ApiError::make(ApiError::Kind::Client,
            QStringLiteral("Cannot upload results: '%1' is not a bundle UUID (0x and 32 hex digits)")
                .arg(m_uuid));
    }
    if (error) {
        QTimer::singleShot(0, this, [this, error] {
            if (m_state != State::Done) {
                finish(error);
            }
        });
        return;
    }
    pack();
}

void ResultUploader::pack()
{
    const QFileInfo dir(m_runDir);
    const QString prefix = QStringLiteral(".") + dir.fileName() + QStringLiteral(".upload-");
    const QString templateName = dir.absolutePath() + QLatin1Char('/') + prefix + QStringLiteral("XXXXXX");
    qCInfo(lcWorkerRun).noquote()
        << QStringLiteral("Packing the results of %1 from %2").arg(m_uuid, m_runDir);
    // `self` is only used in the call posted back, which runs only while this object exists (TaskLink).
    QThreadPool::globalInstance()->start([self = this, link = m_link, archive = m_archive, templateName,
                                             runDir = m_runDir, excludes = m_excludePatterns, prefix] {
        // What an upload of this run left when the worker was killed while it packed or sent.
        QDir parent = QFileInfo(runDir).absoluteDir();
        for (const QString &stale :
            parent.entryList({ prefix + QLatin1Char('*') }, QDir::Files | QDir::Hidden | QDir::System)) {
            parent.remove(stale);
        }
        QString error;
        qint64 size = 0;
        CancellableFile file(templateName, &archive->cancelled);
        file.setAutoRemove(false);
        const bool opened = file.open();
        if (!opened) {
            error = QStringLiteral("Cannot create a temporary file next to %1: %2")
                        .arg(runDir, file.errorString());
        } else {
            const util::ArchiveResult result = util::TarGzWriter::write(runDir, &file, excludes);
            if (!result.ok) {
                error = result.error;
            } else if (!file.flush()) {
                error = QStringLiteral("Cannot write %1: %2").arg(file.fileName(), file.errorString());
            }
            size = file.size();
            file.close();
        }
        const QMutexLocker lock(&archive->mutex);
        archive->done = true;
        if (opened && error.isEmpty() && !archive->cancelled) {
            archive->path = file.fileName();
            link->post([self, size] { self->onPacked({}, size); });
            return;
        }
        if (opened) {
            QFile::remove(file.fileName());
        }
        if (!archive->cancelled) {
            link->post([self, error] { self->onPacked(error, 0); });
        }
    });
}

void ResultUploader::onPacked(const QString &error, qint64 size)
{
    if (m_state != State::Packing) {
        return; // cancelled meanwhile; discardArchive() removed the file
    }
    if (!error.isEmpty()) {
        finish(ApiError::make(
            ApiError::Kind::Client, QStringLiteral("Cannot pack the results of %1: %2").arg(m_uuid, error)));
        return;
    }
    {
        const QMutexLocker lock(&m_archive->mutex);
        m_archivePath = m_archive->path;
    }
    m_archiveSize = size;
    qCInfo(lcWorkerRun).noquote()
        << QStringLiteral("Uploading the results of %1: %2 bytes packed").arg(m_uuid).arg(size);
    sendAttempt();
}

void ResultUploader::sendAttempt()
{
    m_state = State::Sending;
    ++m_attempts;
    m_bytesSent = 0;
    server::TokenManager *tokens = m_connection->tokenManager();
    if (!tokens) {
        send({});
        return;
    }
    tokens->withToken(this, [this](const QString &token, const ApiError &error) {
        if (m_state != State::Sending) {
            return; // cancelled while the token was fetched
        }
        if (error) {
            fail(error);
            return;
        }
        send(token);
    });
}

void ResultUploader::send(const QString &token)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("filename"), QStringLiteral("bundle.tar.gz"));
    query.addQueryItem(QStringLiteral("finalize_on_success"), QStringLiteral("0"));
    // "store=" even without one, as upstream sends it (a null QString would drop the "=").
    query.addQueryItem(QStringLiteral("store"), m_store.isNull() ? QStringLiteral("") : m_store);
    QNetworkRequest request = m_connection->prepareRequest(
        QStringLiteral("/bundles/%1/contents/blob/").arg(m_uuid), query, m_transferTimeoutMs);
    if (!token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    }
    auto file = std::make_unique<QFile>(m_archivePath);
    if (!file->open(QIODevice::ReadOnly)) {
        finish(ApiError::make(ApiError::Kind::Client,
            QStringLiteral("Cannot read the packed results %1: %2").arg(m_archivePath, file->errorString())));
        return;
    }
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/octet-stream"));
    request.setHeader(QNetworkRequest::ContentLengthHeader, file->size());
    request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    m_reply = m_connection->networkAccessManager()->sendCustomRequest(request, "PUT", file.get());
    file.release()->setParent(m_reply); // read by the reply as it sends, and gone with it
    connect(m_reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64) {
        if (sent > m_bytesSent) { // Qt ends with a (0, 0) that would read as "nothing sent"
            m_bytesSent = sent;
            Q_EMIT progress(sent);
        }
    });
    connect(m_reply, &QNetworkReply::finished, this, &ResultUploader::onReply);
}

void ResultUploader::onReply()
{
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    ApiError error = ApiError::fromReply(reply, reply->isOpen() ? reply->readAll() : QByteArray());
    if (error.kind == ApiError::Kind::Cancelled) {
        // cancel() disconnects before it aborts, so this abort is Qt's own: Qt 6.4 ends a transfer that
        // moved nothing for the transfer timeout with OperationCanceledError, not TimeoutError.
        error = ApiError::make(ApiError::Kind::Timeout,
            QStringLiteral("The server %1 did not answer in time (nothing moved for %2 ms)")
                .arg(reply->url().authority())
                .arg(m_transferTimeoutMs));
    }
    if (!error) {
        qCInfo(lcWorkerRun).noquote()
            << QStringLiteral("Uploaded the results of %1 (attempt %2)").arg(m_uuid).arg(m_attempts);
        finish({});
        return;
    }
    fail(error);
}

void ResultUploader::fail(const ApiError &error)
{
    server::TokenManager *tokens = m_connection->tokenManager();
    const bool renewToken
        = error.kind == ApiError::Kind::Authentication && tokens && m_renewals < MaxRenewals;
    if ((!error.isTransient() && !renewToken) || m_attempts >= m_maxAttempts) {
        qCWarning(lcWorkerRun).noquote()
            << QStringLiteral("Uploading the results of %1 failed (attempt %2): %3")
                   .arg(m_uuid)
                   .arg(m_attempts)
                   .arg(error.message);
        finish(error);
        return;
    }
    int delayMs = 0;
    if (renewToken) {
        // Revoked, perhaps by a new login elsewhere: fetch another at once, and after that after a short,
        // growing, random wait, so that workers revoking each other's tokens fall out of step.
        tokens->invalidate();
        delayMs = m_renewals == 0 ? 0 : QRandomGenerator::global()->bounded(100, 200 << m_renewals);
        ++m_renewals;
    } else {
        qint64 delay = m_firstDelayMs;
        for (int i = 1; i < m_attempts && delay < m_maxDelayMs; ++i) {
            delay *= 2;
        }
        delayMs = int(qMin<qint64>(delay, m_maxDelayMs));
    }
    qCInfo(lcWorkerRun).noquote() << QStringLiteral(
        "Uploading the results of %1 failed (attempt %2), trying again in %3 ms: %4")
                                         .arg(m_uuid)
                                         .arg(m_attempts)
                                         .arg(delayMs)
                                         .arg(error.message);
    m_state = State::Waiting;
    m_retryTimer->start(delayMs); // before the signal, so a listener sees the retry already scheduled
    Q_EMIT attemptFailed(error, m_attempts, delayMs);
}

void ResultUploader::finish(const ApiError &error)
{
    m_state = State::Done;
    m_retryTimer->stop();
    stopTransfer();
    discardArchive();
    Q_EMIT finished(error); // last: a listener may delete this object
}

void ResultUploader::cancel()
{
    if (m_state == State::Done) {
        return;
    }
    m_state = State::Done;
    m_retryTimer->stop();
    stopTransfer();
    discardArchive();
}

void ResultUploader::stopTransfer()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
}

void ResultUploader::discardArchive()
{
    const QMutexLocker lock(&m_archive->mutex);
    m_archive->cancelled = true;
    if (m_archive->done && !m_archive->path.isEmpty()) {
        QFile::remove(m_archive->path);
        m_archive->path.clear();
    }
}

} // namespace codalab::worker
