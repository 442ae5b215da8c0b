// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/localhttpserver.h"

#include "localserver/httpconnection.h"
#include "localserver/serverstore.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QTcpSocket>

Q_LOGGING_CATEGORY(lcHttp, "codalab.localserver.http", QtInfoMsg)

namespace codalab::localserver {

LocalHttpServer::LocalHttpServer(ServerStore &store, HttpLimits limits, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_limits(std::move(limits))
{
    connect(&m_tcp, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_tcp.nextPendingConnection()) {
            new HttpConnection(socket, *this); // a child of this server, gone when its client goes
        }
    });
}

bool LocalHttpServer::listenLocal(quint16 port, QString *error)
{
    // Loopback only: this server is for one machine.
    if (!m_tcp.listen(QHostAddress::LocalHost, port)) {
        *error = QStringLiteral("Cannot listen on 127.0.0.1:%1: %2").arg(port).arg(m_tcp.errorString());
        return false;
    }
    m_port = m_tcp.serverPort();
    return true;
}

void LocalHttpServer::addRoute(
    const QByteArray &method, const QString &pattern, Auth auth, Handler handler, Body body)
{
    m_routes.append({ method, QRegularExpression(QLatin1Char('^') + pattern + QLatin1Char('$')), auth,
        std::move(handler), body });
}

const LocalHttpServer::Route *LocalHttpServer::findRoute(const HttpRequest &request, bool *pathMatched) const
{
    *pathMatched = false;
    for (const Route &route : m_routes) {
        if (!route.pattern.match(request.path).hasMatch()) {
            continue;
        }
        *pathMatched = true;
        if (route.method == request.method) {
            return &route;
        }
    }
    return nullptr;
}

LocalHttpServer::Admission LocalHttpServer::admit(HttpRequest &request, qint64 contentLength) const
{
    bool pathMatched = false;
    const Route *route = findRoute(request, &pathMatched);
    const Body body = route ? route->body : Body::Small;
    Admission admission;
    admission.maxBodyBytes = body == Body::Small ? m_limits.maxRequestBytes
        : body == Body::Large                    ? m_limits.maxLargeBytes
                                                 : m_limits.maxUploadBytes;
    admission.bodyToFile = body == Body::File;
    if (contentLength > admission.maxBodyBytes) {
        admission.refusal = HttpResponse::error(413,
            QStringLiteral("Request body of %1 bytes is larger than the limit of %2 bytes")
                .arg(contentLength)
                .arg(admission.maxBodyBytes));
        return admission;
    }
    // Whoever may not upload is refused before the upload costs a disk write.
    if (route && route->auth == Auth::Required && body != Body::Small) {
        admission.refusal = authenticate(request);
    }
    return admission;
}

void LocalHttpServer::dispatch(HttpRequest &request, const HttpResponder &responder)
{
    qCDebug(lcHttp) << request.method << request.path;
    bool pathMatched = false;
    const Route *route = findRoute(request, &pathMatched);
    if (!route) {
        responder.send(pathMatched
                ? HttpResponse::error(405,
                    QStringLiteral("Method %1 is not allowed on %2")
                        .arg(QString::fromLatin1(request.method), request.path))
                : HttpResponse::error(404, QStringLiteral("Not found: '%1'").arg(request.path)));
        return;
    }
    request.captures = route->pattern.match(request.path).capturedTexts().mid(1);
    if (route->auth == Auth::Required) {
        if (const auto refusal = authenticate(request)) {
            responder.send(*refusal);
            return;
        }
    }
    try {
        route->handler(request, responder);
    } catch (const std::exception &e) {
        qCWarning(lcHttp) << request.method << request.path << "failed:" << e.what();
        responder.send(
            HttpResponse::error(500, QStringLiteral("Internal error: %1").arg(QString::fromUtf8(e.what()))));
    }
}

std::optional<HttpResponse> LocalHttpServer::authenticate(HttpRequest &request) const
{
    const QByteArray authorization = request.header("authorization");
    if (authorization.startsWith("Bearer ")) {
        const auto token = m_store.tokenByAccess(QString::fromLatin1(authorization.mid(7).trimmed()));
        if (token && token->expiresAt > QDateTime::currentSecsSinceEpoch()) {
            request.user = m_store.userById(token->userId);
            if (request.user) {
                return std::nullopt;
            }
        }
    }
    // Upstream answers browsers with the login page and scripts (X-Requested-With) with 401.
    if (request.headers.contains("x-requested-with")) {
        return HttpResponse::error(401, QStringLiteral("Unauthorized: log in with a valid, unexpired token"));
    }
    HttpResponse redirect = HttpResponse::error(302, QStringLiteral("Redirecting to the login page"));
    redirect.withHeader("Location", "/account/login?next=" + QUrl::toPercentEncoding(request.path));
    return redirect;
}

} // namespace codalab::localserver
