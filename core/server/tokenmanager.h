// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apierror.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

namespace codalab::server {

class ServerConnection;

/// OAuth2 tokens for one server and user (codalab-protocol.md §2), refreshed before they run out.
///
/// The GUI uses client `codalab_cli_client` with Mode::Refresh (refresh grant when less than 10 minutes
/// remain, the password grant if that fails); the worker uses `codalab_worker_client` with Mode::Relogin
/// (the password grant when less than 5 minutes remain, as upstream's worker). Calls that need a token
/// while one is being fetched wait for that one: concurrent calls share a single refresh.
class TokenManager : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Refresh, Relogin };
    using TokenCallback = std::function<void(const QString &accessToken, const ApiError &error)>;

    TokenManager(ServerConnection *connection, QString clientId, Mode mode, QObject *parent = nullptr);

    void setCredentials(const QString &username, const QString &password);
    /// A token obtained elsewhere (an imported `cl` login).
    void setToken(const QString &accessToken, const QString &refreshToken, qint64 expiresAt);
    /// Seconds before expiry at which a new token is fetched; defaults 600 (Refresh) and 300 (Relogin).
    void setMargin(int seconds) { m_marginSec = seconds; }
    /// For tests: where "now" comes from (epoch seconds).
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

    /// Calls `callback` (on this thread, never synchronously) with a valid token, or with the error that
    /// kept it from getting one. Dropped silently if `context` is gone by then.
    void withToken(QObject *context, TokenCallback callback);
    /// Forget the current token (the server refused it).
    void invalidate();

    const QString &username() const { return m_username; }
    qint64 expiresAt() const { return m_expiresAt; }
    int grantsIssued() const { return m_grants; }

Q_SIGNALS:
    void tokenChanged();
    void authenticationFailed(const codalab::server::ApiError &error);

private:
    void fetch(bool useRefresh);
    void deliver(const ApiError &error);
    qint64 now() const;

    ServerConnection *m_connection;
    QString m_clientId;
    Mode m_mode;
    QString m_username;
    QString m_password;
    QString m_accessToken;
    QString m_refreshToken;
    qint64 m_expiresAt = 0;
    int m_marginSec;
    int m_grants = 0;
    bool m_fetching = false;
    std::function<qint64()> m_clock;
    QList<std::pair<QPointer<QObject>, TokenCallback>> m_waiting;
};

} // namespace codalab::server
