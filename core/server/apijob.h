// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apiresult.h"

#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QUrlQuery>

class QNetworkReply;
class QTimer;

namespace codalab::server {

class ServerConnection;

/// What to send: built once, re-sent as is on a retry.
struct ApiCall
{
    QByteArray method = "GET";
    QString path; ///< under /rest, e.g. "/bundles"
    QUrlQuery query;
    QByteArray body;
    QString bodyFile; ///< when set, the body is streamed from this file instead (uploads never sit in memory)
    QByteArray contentType;
    QList<QPair<QByteArray, QByteArray>> headers;
    bool authenticated = true;
    int timeoutMs = 60000;
    int maxAttempts = 3; ///< transient failures (network, timeout, 5xx) are tried this often in all
};

/// One REST call to a CodaLab server, living on the caller's thread.
///
/// Usage: ServerConnection::send() returns it started; connect finished(), emitted once, after which the
/// job deletes itself. Transient failures are retried a bounded number of times with a growing pause; a
/// 401 gets one new token and one more try. cancel() stops it: nothing is emitted, as a cancelled call is
/// never a failure.
class ApiJob : public QObject
{
    Q_OBJECT
public:
    ApiJob(ServerConnection *connection, ApiCall call, QObject *parent);
    ~ApiJob() override;

    const ApiCall &call() const { return m_call; }
    void start();
    void cancel();

Q_SIGNALS:
    void finished(const codalab::server::ApiResult &result);

private:
    void sendWithToken(const QString &token);
    void onReply();
    void finish(ApiResult result);

    ServerConnection *m_connection;
    ApiCall m_call;
    QPointer<QNetworkReply> m_reply;
    QTimer *m_retryTimer = nullptr;
    int m_attempts = 0;
    /// Tokens fetched again after the server refused one. One user's workers (a cluster's jobs, the desktop's
    /// own) share a client id, and each login revokes the others' token: a new token can be revoked again
    /// before it is used, so a few tries, not one.
    int m_reauthentications = 0;
    static constexpr int MaxReauthentications = 3;
    bool m_done = false;
};

} // namespace codalab::server
