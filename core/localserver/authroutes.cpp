// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/authroutes.h"

#include "localserver/localhttpserver.h"
#include "localserver/localserverconfig.h"
#include "localserver/serverstore.h"

#include <QJsonObject>
#include <QUrlQuery>

namespace codalab::localserver {

namespace {

const QStringList knownClients { QStringLiteral("codalab_cli_client"),
    QStringLiteral("codalab_worker_client") };

HttpResponse oauthError(int status, const QString &error, const QString &description)
{
    return HttpResponse::json(QJsonObject { { QStringLiteral("error"), error },
                                  { QStringLiteral("error_description"), description } },
        status);
}

/// The client id from `Authorization: Basic base64(id:secret)`, or from a client_id form field.
QString clientIdOf(const HttpRequest &request, const QUrlQuery &form)
{
    const QByteArray authorization = request.header("authorization");
    if (authorization.startsWith("Basic ")) {
        const QByteArray decoded = QByteArray::fromBase64(authorization.mid(6).trimmed());
        return QString::fromUtf8(decoded.left(decoded.indexOf(':')));
    }
    return form.queryItemValue(QStringLiteral("client_id"), QUrl::FullyDecoded);
}

HttpResponse tokenResponse(const TokenRecord &token, int lifetimeSec)
{
    return HttpResponse::json(QJsonObject { { QStringLiteral("access_token"), token.accessToken },
        { QStringLiteral("expires_in"), lifetimeSec },
        { QStringLiteral("token_type"), QStringLiteral("Bearer") },
        { QStringLiteral("scope"), QStringLiteral("default") },
        { QStringLiteral("refresh_token"), token.refreshToken } });
}

} // namespace

void AuthRoutes::install(LocalHttpServer &http, ServerStore &store, const LocalServerConfig &config)
{
    const int lifetime = config.tokenLifetimeSec;
    http.addRoute("POST", QStringLiteral("/rest/oauth2/token"), LocalHttpServer::Auth::None,
        [&store, lifetime](HttpRequest &request, const HttpResponder &responder) {
            // Form fields arrive as application/x-www-form-urlencoded, '+' meaning space.
            QByteArray formBody = request.body;
            formBody.replace('+', ' ');
            const QUrlQuery form(QString::fromUtf8(formBody));
            const QString clientId = clientIdOf(request, form);
            if (!knownClients.contains(clientId)) {
                responder.send(
                    oauthError(401, QStringLiteral("invalid_client"), QStringLiteral("Unknown client")));
                return;
            }
            const QString grant = form.queryItemValue(QStringLiteral("grant_type"), QUrl::FullyDecoded);
            // A bad password or refresh token is invalid_grant with 401, as upstream's oauthlib 2.1 answers
            // it: the `cl` CLI takes only a 401 as "Invalid username or password." (and, for a refresh token,
            // as the cue to log in again); a 400 (oauthlib 3, RFC 6749) ends it in a traceback.
            if (grant == QLatin1String("password")) {
                const auto user
                    = store.checkPassword(form.queryItemValue(QStringLiteral("username"), QUrl::FullyDecoded),
                        form.queryItemValue(QStringLiteral("password"), QUrl::FullyDecoded));
                if (!user) {
                    responder.send(oauthError(
                        401, QStringLiteral("invalid_grant"), QStringLiteral("Invalid credentials given.")));
                    return;
                }
                store.recordLogin(user->id);
                responder.send(tokenResponse(store.issueToken(clientId, user->id, lifetime), lifetime));
            } else if (grant == QLatin1String("refresh_token")) {
                const auto old = store.tokenByRefresh(
                    form.queryItemValue(QStringLiteral("refresh_token"), QUrl::FullyDecoded));
                if (!old || old->clientId != clientId) {
                    responder.send(oauthError(
                        401, QStringLiteral("invalid_grant"), QStringLiteral("Invalid refresh token.")));
                    return;
                }
                responder.send(tokenResponse(store.issueToken(clientId, old->userId, lifetime), lifetime));
            } else {
                responder.send(oauthError(400, QStringLiteral("unsupported_grant_type"),
                    QStringLiteral("grant_type must be password or refresh_token")));
            }
        });
}

} // namespace codalab::localserver
