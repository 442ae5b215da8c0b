// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/serverconnection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTimer>

namespace codalab::server {

ServerConnection::ServerConnection(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
{
    qRegisterMetaType<ApiResult>();
    qRegisterMetaType<ApiError>();
}

bool ServerConnection::setServerUrl(const QString &text, QString *error)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty()) {
        *error = QStringLiteral(
            "'%1' is not a server URL: write it with its scheme, e.g. https://worksheets.codalab.org")
                     .arg(text);
        return false;
    }
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) {
        *error
            = QStringLiteral("'%1' is not a server URL: only http:// and https:// are supported").arg(text);
        return false;
    }
    m_serverUrl = url.adjusted(QUrl::StripTrailingSlash | QUrl::RemoveQuery | QUrl::RemoveFragment);
    return true;
}

QNetworkRequest ServerConnection::prepareRequest(
    const QString &path, const QUrlQuery &query, int timeoutMs) const
{
    QUrl url = m_serverUrl;
    url.setPath(
        m_serverUrl.path() + QStringLiteral("/rest") + path, QUrl::TolerantMode); // callers percent-encode
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setRawHeader("X-Requested-With", "XMLHttpRequest");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("CodaLabDesktop/" CODALAB_VERSION));
    request.setTransferTimeout(timeoutMs);
    // Redirects are followed only to an equally safe scheme; certificate checks stay on.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    return request;
}

ApiJob *ServerConnection::send(ApiCall call)
{
    auto *job = new ApiJob(this, std::move(call), this);
    if (m_serverUrl.isEmpty()) {
        // Report on the next turn of the event loop, as every other outcome is reported.
        QTimer::singleShot(0, job, [job] {
            Q_EMIT job->finished(ApiResult {
                ApiError::make(ApiError::Kind::InvalidUrl, QStringLiteral("No CodaLab server is set")), 0, {},
                {}, {}, 0 });
            job->deleteLater();
        });
        return job;
    }
    QTimer::singleShot(0, job, &ApiJob::start);
    return job;
}

ApiJob *ServerConnection::getJson(const QString &path, const QUrlQuery &query)
{
    ApiCall call;
    call.path = path;
    call.query = query;
    return send(std::move(call));
}

ApiJob *ServerConnection::sendJson(
    const QByteArray &method, const QString &path, const QJsonObject &body, const QUrlQuery &query)
{
    ApiCall call;
    call.method = method;
    call.path = path;
    call.query = query;
    call.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    call.contentType = "application/json";
    return send(std::move(call));
}

} // namespace codalab::server
