// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/tokenmanager.h"

#include "server/serverconnection.h"

#include <QDateTime>
#include <QJsonObject>
#include <QTimer>

namespace codalab::server {

TokenManager::TokenManager(ServerConnection *connection, QString clientId, Mode mode, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_clientId(std::move(clientId))
    , m_mode(mode)
    , m_marginSec(mode == Mode::Refresh ? 600 : 300)
{ }

qint64 TokenManager::now() const
{
    return m_clock ? m_clock() : QDateTime::currentSecsSinceEpoch();
}

void TokenManager::setCredentials(const QString &username, const QString &password)
{
    m_username = username;
    m_password = password;
}

void TokenManager::setToken(const QString &accessToken, const QString &refreshToken, qint64 expiresAt)
{
    m_accessToken = accessToken;
    m_refreshToken = refreshToken;
    m_expiresAt = expiresAt;
}

void TokenManager::invalidate()
{
    m_accessToken.clear();
    m_expiresAt = 0;
}

void TokenManager::withToken(QObject *context, TokenCallback callback)
{
    if (!m_accessToken.isEmpty() && m_expiresAt - now() > m_marginSec) {
        const QString token = m_accessToken;
        QTimer::singleShot(0, context, [callback = std::move(callback), token] { callback(token, {}); });
        return;
    }
    m_waiting.append({ context, std::move(callback) });
    if (!m_fetching) {
        fetch(m_mode == Mode::Refresh && !m_refreshToken.isEmpty());
    }
}

void TokenManager::fetch(bool useRefresh)
{
    if (!useRefresh && (m_username.isEmpty() || m_password.isEmpty())) {
        deliver(ApiError::make(ApiError::Kind::Authentication,
            QStringLiteral("Log in to %1 first").arg(m_connection->serverUrl().toString())));
        return;
    }
    m_fetching = true;
    QUrlQuery form;
    if (useRefresh) {
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
        form.addQueryItem(
            QStringLiteral("refresh_token"), QString::fromLatin1(QUrl::toPercentEncoding(m_refreshToken)));
    } else {
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("password"));
        form.addQueryItem(
            QStringLiteral("username"), QString::fromLatin1(QUrl::toPercentEncoding(m_username)));
        form.addQueryItem(
            QStringLiteral("password"), QString::fromLatin1(QUrl::toPercentEncoding(m_password)));
    }
    ApiCall call;
    call.method = "POST";
    call.path = QStringLiteral("/oauth2/token");
    call.body = form.toString(QUrl::FullyEncoded).toLatin1();
    call.contentType = "application/x-www-form-urlencoded";
    call.authenticated = false;
    // The public clients have an empty secret.
    call.headers.append({ "Authorization", "Basic " + QByteArray(m_clientId.toLatin1() + ':').toBase64() });
    ApiJob *job = m_connection->send(std::move(call));
    connect(job, &ApiJob::finished, this, [this, useRefresh](const ApiResult &result) {
        m_fetching = false;
        const QJsonObject token = result.json.object();
        if (result.ok() && token.value(QLatin1String("token_type")).toString() == QLatin1String("Bearer")) {
            ++m_grants;
            m_accessToken = token.value(QLatin1String("access_token")).toString();
            m_refreshToken = token.value(QLatin1String("refresh_token")).toString();
            m_expiresAt = now() + token.value(QLatin1String("expires_in")).toInteger(3600);
            Q_EMIT tokenChanged();
            deliver({});
            return;
        }
        if (useRefresh && !result.error.isTransient()) {
            m_refreshToken.clear();
            fetch(false); // the refresh token is no good: log in again with the password
            return;
        }
        ApiError error = result.error;
        // Upstream answers bad credentials with 400 (401 on old oauthlib, 404 on some deployments).
        if (error.httpStatus == 400 || error.httpStatus == 401 || error.httpStatus == 404) {
            error = ApiError::make(ApiError::Kind::Authentication,
                QStringLiteral("Wrong username or password for %1 on %2")
                    .arg(m_username, m_connection->serverUrl().toString()),
                error.httpStatus);
        } else if (!error) {
            error = ApiError::make(ApiError::Kind::MalformedJson,
                QStringLiteral("The server's token answer is not a Bearer token"));
        }
        if (error.kind == ApiError::Kind::Authentication) {
            Q_EMIT authenticationFailed(error);
        }
        deliver(error);
    });
}

void TokenManager::deliver(const ApiError &error)
{
    const auto waiting = std::exchange(m_waiting, {});
    const QString token = error ? QString() : m_accessToken;
    for (const auto &waiter : waiting) {
        if (waiter.first) {
            QTimer::singleShot(
                0, waiter.first, [callback = waiter.second, token, error] { callback(token, error); });
        }
    }
}

} // namespace codalab::server
