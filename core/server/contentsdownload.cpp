// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/contentsdownload.h"

#include "server/apijob.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThreadPool>

namespace codalab::server {

ContentsDownload::ContentsDownload(ServerConnection *connection, QString uuid, QString path, QString target,
    util::ArchiveLimits limits, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_uuid(std::move(uuid))
    , m_path(std::move(path))
    , m_target(std::move(target))
    , m_limits(limits)
{ }

ContentsDownload::~ContentsDownload()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    if (m_partial) {
        m_partial->remove();
    }
}

void ContentsDownload::start()
{
    ApiCall info;
    info.path = QStringLiteral("/bundles/%1/contents/info/%2")
                    .arg(m_uuid, QString::fromLatin1(QUrl::toPercentEncoding(m_path, "/")));
    info.query.addQueryItem(QStringLiteral("depth"), QStringLiteral("0"));
    connect(m_connection->send(std::move(info)), &ApiJob::finished, this, [this](const ApiResult &r) {
        if (!r.ok()) {
            finish(r.error);
            return;
        }
        const QString type
            = r.json.object().value(QLatin1String("data")).toObject().value(QLatin1String("type")).toString();
        m_directory = type == QLatin1String("directory");
        m_targetSize = qint64(
            r.json.object().value(QLatin1String("data")).toObject().value(QLatin1String("size")).toDouble());
        if (type == QLatin1String("link")) {
            finish(ApiError::make(
                ApiError::Kind::Client, QStringLiteral("%1/%2 is a symbolic link").arg(m_uuid, m_path)));
            return;
        }
        TokenManager *tokens = m_connection->tokenManager();
        if (!tokens) {
            fetchBlob({});
            return;
        }
        tokens->withToken(this, [this](const QString &token, const ApiError &error) {
            if (error) {
                finish(error);
            } else {
                fetchBlob(token);
            }
        });
    });
}

void ContentsDownload::fetchBlob(const QString &token)
{
    QDir().mkpath(QFileInfo(m_target).absolutePath());
    m_partial = std::make_unique<QFile>(m_target + QStringLiteral(".download"));
    // Unbuffered: the network hands over large chunks anyway, and a failed write then carries errno's words
    // ("No space left on device") instead of the buffer's "Unknown error".
    if (!m_partial->open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        finish(ApiError::make(ApiError::Kind::Client,
            QStringLiteral("Cannot write %1: %2").arg(m_partial->fileName(), m_partial->errorString())));
        return;
    }
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("support_redirect"), QStringLiteral("1"));
    QNetworkRequest request = m_connection->prepareRequest(
        QStringLiteral("/bundles/%1/contents/blob/%2")
            .arg(m_uuid, QString::fromLatin1(QUrl::toPercentEncoding(m_path, "/"))),
        query, 600000);
    if (!token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    }
    // Redirects are ours to follow: the next hop must not get the token.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    get(request, 0);
}

void ContentsDownload::get(const QNetworkRequest &request, int redirects)
{
    m_reply = m_connection->networkAccessManager()->get(request);
    // Without a bound the network thread reads as fast as the server sends and the reply holds what the
    // disk has not taken yet: tens of MiB for a big folder. Bounded, the socket waits instead.
    m_reply->setReadBufferSize(2 * 1024 * 1024);
    connect(m_reply, &QNetworkReply::readyRead, this, [this] {
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 200) {
            return; // a redirect's or an error's body is not the dependency
        }
        const QByteArray size = m_reply->rawHeader("X-CodaLab-Target-Size");
        if (!size.isEmpty()) {
            m_targetSize = size.toLongLong();
        }
        const QByteArray data = m_reply->readAll();
        if (!writeAll(data)) {
            // Say why before aborting: the aborted reply would only report "Operation canceled".
            const ApiError error = writeError();
            m_reply->disconnect(this);
            m_reply->abort();
            m_reply->deleteLater();
            m_reply = nullptr;
            finish(error);
            return;
        }
        m_received += data.size();
        Q_EMIT progress(m_received);
    });
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::finished, this,
        [this, reply, redirects] { onBlobFinished(reply, redirects); });
}

void ContentsDownload::onBlobFinished(QNetworkReply *reply, int redirects)
{
    reply->deleteLater();
    m_reply = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 300 && status < 400) {
        const QUrl next = reply->url().resolved(reply->header(QNetworkRequest::LocationHeader).toUrl());
        if (redirects >= MaxRedirects || !next.isValid()
            || (next.scheme() != QLatin1String("https") && next.scheme() != QLatin1String("http"))) {
            finish(ApiError::make(ApiError::Kind::Client,
                QStringLiteral("Too many or bad redirects downloading %1/%2").arg(m_uuid, m_path)));
            return;
        }
        QNetworkRequest request(next); // no Authorization: blob storage has its own signed URL
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        request.setTransferTimeout(600000);
        get(request, redirects + 1);
        return;
    }
    const QByteArray rest = reply->readAll();
    const ApiError error = ApiError::fromReply(reply, rest);
    if (error) {
        finish(error);
        return;
    }
    if (!writeAll(rest)) {
        finish(writeError());
        return;
    }
    m_received += rest.size();
    m_partial->close();
    unpack();
}

void ContentsDownload::unpack()
{
    if (!m_directory) {
        QFile::remove(m_target);
        if (!m_partial->rename(m_target)) {
            finish(ApiError::make(
                ApiError::Kind::Client, QStringLiteral("Cannot move the download to %1").arg(m_target)));
            return;
        }
        m_partial.reset();
        finish({});
        return;
    }
    // Unpacking can take minutes: off this thread, then back here with the result.
    const QString archive = m_partial->fileName();
    const QString target = m_target;
    const util::ArchiveLimits limits = m_limits;
    QPointer<ContentsDownload> self(this);
    QThreadPool::globalInstance()->start([self, archive, target, limits] {
        const util::ArchiveResult result = util::SafeArchive::extract(archive, target, limits);
        QFile::remove(archive);
        QMetaObject::invokeMethod(qApp, [self, result] {
            if (!self) {
                return;
            }
            self->m_partial.reset();
            self->finish(result.ok ? ApiError {}
                                   : ApiError::make(ApiError::Kind::Client,
                                       QStringLiteral("Refused archive: %1").arg(result.error)));
        });
    });
}

bool ContentsDownload::writeAll(const QByteArray &data)
{
    // A nearly full disk takes part of a write without an error; only the next write says why (ENOSPC), so
    // write on until all is written or a write fails.
    qint64 written = 0;
    while (written < data.size()) {
        const qint64 n = m_partial->write(data.constData() + written, data.size() - written);
        if (n <= 0) {
            return false;
        }
        written += n;
    }
    return true;
}

ApiError ContentsDownload::writeError() const
{
    return ApiError::make(ApiError::Kind::Client,
        QStringLiteral("Cannot write %1: %2 (is the disk full?)")
            .arg(m_partial->fileName(), m_partial->errorString()));
}

void ContentsDownload::finish(const ApiError &error)
{
    if (m_done) {
        return;
    }
    m_done = true;
    if (m_partial && error) {
        m_partial->remove();
        m_partial.reset();
    }
    Q_EMIT finished(error);
    deleteLater();
}

void ContentsDownload::cancel()
{
    m_done = true;
    deleteLater(); // the destructor aborts the transfer and removes the partial file
}

} // namespace codalab::server
