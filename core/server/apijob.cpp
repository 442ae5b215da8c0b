// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/apijob.h"

#include "server/serverconnection.h"
#include "server/tokenmanager.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>

namespace codalab::server {

ApiJob::ApiJob(ServerConnection *connection, ApiCall call, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_call(std::move(call))
{ }

ApiJob::~ApiJob()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void ApiJob::start()
{
    ++m_attempts;
    TokenManager *tokens = m_connection->tokenManager();
    if (!m_call.authenticated || !tokens) {
        sendWithToken({});
        return;
    }
    tokens->withToken(this, [this](const QString &token, const ApiError &error) {
        if (error) {
            finish(ApiResult { error, error.httpStatus, {}, {}, {}, m_attempts });
            return;
        }
        sendWithToken(token);
    });
}

void ApiJob::sendWithToken(const QString &token)
{
    QNetworkRequest request = m_connection->prepareRequest(m_call.path, m_call.query, m_call.timeoutMs);
    if (!token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    }
    if (!m_call.contentType.isEmpty()) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, m_call.contentType);
    }
    for (const auto &[name, value] : std::as_const(m_call.headers)) {
        request.setRawHeader(name, value);
    }
    if (!m_call.bodyFile.isEmpty()) {
        auto *file = new QFile(m_call.bodyFile);
        if (!file->open(QIODevice::ReadOnly)) {
            delete file;
            finish(ApiResult {
                ApiError::make(ApiError::Kind::Client, QStringLiteral("Cannot read %1").arg(m_call.bodyFile)),
                0, {}, {}, {}, m_attempts });
            return;
        }
        request.setHeader(QNetworkRequest::ContentLengthHeader, file->size());
        m_reply = m_connection->networkAccessManager()->sendCustomRequest(request, m_call.method, file);
        file->setParent(m_reply); // lives as long as the upload
    } else {
        m_reply
            = m_connection->networkAccessManager()->sendCustomRequest(request, m_call.method, m_call.body);
    }
    connect(m_reply, &QNetworkReply::finished, this, &ApiJob::onReply);
}

void ApiJob::onReply()
{
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    ApiResult result;
    result.attempts = m_attempts;
    result.body = reply->readAll();
    result.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.headers = reply->rawHeaderPairs();
    result.error = ApiError::fromReply(reply, result.body);
    if (result.error.kind == ApiError::Kind::Cancelled) {
        // cancel() disconnects the reply first, so this is Qt giving up after the transfer timeout: Qt 6.4
        // reports that as OperationCanceledError. It must still finish the job, as a (transient) timeout.
        result.error = ApiError::make(ApiError::Kind::Timeout,
            QStringLiteral("The server %1 did not answer in time").arg(reply->url().host()));
    }
    if (result.error.kind == ApiError::Kind::Authentication && m_call.authenticated
        && m_reauthentications < MaxReauthentications && m_connection->tokenManager()) {
        // The token may have been revoked (one per client and user): get a new one. Again after a short
        // random wait, so that two clients revoking each other's tokens fall out of step.
        m_connection->tokenManager()->invalidate();
        if (m_reauthentications++ == 0) {
            start();
        } else {
            QTimer::singleShot(QRandomGenerator::global()->bounded(50, 300), this, &ApiJob::start);
        }
        return;
    }
    if (result.error.isTransient() && m_attempts < m_call.maxAttempts) {
        if (!m_retryTimer) {
            m_retryTimer = new QTimer(this);
            m_retryTimer->setSingleShot(true);
            connect(m_retryTimer, &QTimer::timeout, this, &ApiJob::start);
        }
        m_retryTimer->start(m_connection->retryDelayMs() * (1 << (m_attempts - 1)));
        return;
    }
    if (!result.error
        && reply->header(QNetworkRequest::ContentTypeHeader)
               .toString()
               .startsWith(QLatin1String("application/json"))) {
        QJsonParseError parseError {};
        result.json = QJsonDocument::fromJson(result.body, &parseError);
        if (parseError.error != QJsonParseError::NoError && !result.body.trimmed().isEmpty()
            && result.body.trimmed() != "true" && result.body.trimmed() != "false"
            && result.body.trimmed() != "null") { // JSON texts that Qt 6.4 refuses at the top level
            result.error = ApiError::make(ApiError::Kind::MalformedJson,
                QStringLiteral("The server's answer to %1 is not valid JSON: %2")
                    .arg(m_call.path, parseError.errorString()),
                result.httpStatus);
        }
    }
    finish(std::move(result));
}

void ApiJob::finish(ApiResult result)
{
    if (m_done) {
        return;
    }
    m_done = true;
    Q_EMIT finished(result);
    deleteLater();
}

void ApiJob::cancel()
{
    if (m_done) {
        return;
    }
    m_done = true;
    if (m_retryTimer) {
        m_retryTimer->stop();
    }
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    deleteLater();
}

} // namespace codalab::server
