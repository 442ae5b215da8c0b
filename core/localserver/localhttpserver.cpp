// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/localhttpserver.h"

#include "localserver/serverstore.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QLoggingCategory>
#include <QTcpServer>

Q_LOGGING_CATEGORY(lcHttp, "codalab.localserver.http", QtInfoMsg)

namespace codalab::localserver {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "UNKNOWN";
    }
}

} // namespace

LocalHttpServer::LocalHttpServer(ServerStore &store, qint64 maxBodyBytes, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_store(store)
    , m_maxBodyBytes(maxBodyBytes)
{ }

bool LocalHttpServer::listenLocal(quint16 port, QString *error)
{
    // Loopback only: this server is for one machine.
    m_port = listen(QHostAddress::LocalHost, port);
    if (m_port == 0) {
        *error = QStringLiteral("Cannot listen on 127.0.0.1:%1").arg(port);
        return false;
    }
    return true;
}

void LocalHttpServer::addRoute(const QByteArray &method, const QString &pattern, Auth auth, Handler handler)
{
    m_routes.append({ method, QRegularExpression(QLatin1Char('^') + pattern + QLatin1Char('$')), auth,
        std::move(handler) });
}

bool LocalHttpServer::handleRequest(const QHttpServerRequest &qrequest, QTcpSocket *socket)
{
    HttpRequest request;
    request.method = methodName(qrequest.method());
    const QUrl url = qrequest.url();
    request.path = url.path(QUrl::FullyDecoded);
    request.rawPath = url.path(QUrl::FullyEncoded).toUtf8();
    request.query = qrequest.query();
    for (const auto &[name, value] : qrequest.headers()) {
        request.headers.insert(name.toLower(), value);
    }
    request.body = qrequest.body();
    const HttpResponder responder(socket);
    qCDebug(lcHttp) << request.method << request.path;

    if (request.body.size() > m_maxBodyBytes) {
        responder.send(HttpResponse::error(413,
            QStringLiteral("Request body of %1 bytes is larger than the limit of %2 bytes")
                .arg(request.body.size())
                .arg(m_maxBodyBytes)));
        return true;
    }
    bool pathMatched = false;
    for (const Route &route : std::as_const(m_routes)) {
        const QRegularExpressionMatch match = route.pattern.match(request.path);
        if (!match.hasMatch()) {
            continue;
        }
        pathMatched = true;
        if (route.method != request.method) {
            continue;
        }
        request.captures = match.capturedTexts().mid(1);
        if (route.auth == Auth::Required && !authenticate(request, responder)) {
            return true;
        }
        try {
            route.handler(request, responder);
        } catch (const std::exception &e) {
            qCWarning(lcHttp) << request.method << request.path << "failed:" << e.what();
            responder.send(HttpResponse::error(
                500, QStringLiteral("Internal error: %1").arg(QString::fromUtf8(e.what()))));
        }
        return true;
    }
    if (pathMatched) {
        responder.send(HttpResponse::error(405,
            QStringLiteral("Method %1 is not allowed on %2")
                .arg(QString::fromLatin1(request.method), request.path)));
    } else {
        responder.send(HttpResponse::error(404, QStringLiteral("Not found: '%1'").arg(request.path)));
    }
    return true;
}

void LocalHttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    HttpResponder(socket).send(
        HttpResponse::error(404, QStringLiteral("Not found: '%1'").arg(request.url().path())));
}

bool LocalHttpServer::authenticate(HttpRequest &request, const HttpResponder &responder) const
{
    const QByteArray authorization = request.header("authorization");
    if (authorization.startsWith("Bearer ")) {
        const auto token = m_store.tokenByAccess(QString::fromLatin1(authorization.mid(7).trimmed()));
        if (token && token->expiresAt > QDateTime::currentSecsSinceEpoch()) {
            request.user = m_store.userById(token->userId);
            if (request.user) {
                return true;
            }
        }
    }
    // Upstream answers browsers with the login page and scripts (X-Requested-With) with 401.
    if (request.headers.contains("x-requested-with")) {
        responder.send(
            HttpResponse::error(401, QStringLiteral("Unauthorized: log in with a valid, unexpired token")));
    } else {
        HttpResponse redirect = HttpResponse::error(302, QStringLiteral("Redirecting to the login page"));
        redirect.withHeader("Location", "/account/login?next=" + QUrl::toPercentEncoding(request.path));
        responder.send(redirect);
    }
    return false;
}

} // namespace codalab::localserver
