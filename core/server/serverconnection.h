// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apijob.h"

#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace codalab::server {

class TokenManager;

/// The one place that builds requests to a CodaLab server: base URL + /rest, X-Requested-With (without
/// it upstream answers an auth failure with a login page, not 401), User-Agent, transfer timeout and a
/// redirect policy that never follows to a less safe scheme. The network access manager is passed in.
class ServerConnection : public QObject
{
    Q_OBJECT
public:
    explicit ServerConnection(QNetworkAccessManager *nam, QObject *parent = nullptr);

    /// Accepts http:// and https:// URLs with a host; anything else is refused with a message.
    bool setServerUrl(const QString &url, QString *error);
    const QUrl &serverUrl() const { return m_serverUrl; }
    QNetworkAccessManager *networkAccessManager() const { return m_nam; }

    void setTokenManager(TokenManager *tokens) { m_tokens = tokens; }
    TokenManager *tokenManager() const { return m_tokens; }
    /// Pause before the first retry; it doubles with each further one. Tests shorten it.
    void setRetryDelayMs(int ms) { m_retryDelayMs = ms; }
    int retryDelayMs() const { return m_retryDelayMs; }

    QNetworkRequest prepareRequest(const QString &path, const QUrlQuery &query, int timeoutMs) const;
    /// Starts a call; the job is a child of this connection.
    ApiJob *send(ApiCall call);
    ApiJob *getJson(const QString &path, const QUrlQuery &query = {});
    ApiJob *sendJson(
        const QByteArray &method, const QString &path, const QJsonObject &body, const QUrlQuery &query = {});

private:
    QNetworkAccessManager *m_nam;
    QUrl m_serverUrl;
    TokenManager *m_tokens = nullptr;
    int m_retryDelayMs = 1000;
};

} // namespace codalab::server
