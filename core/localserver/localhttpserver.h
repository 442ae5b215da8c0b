// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/httprequest.h"
#include "localserver/httprequestparser.h"
#include "localserver/httpresponder.h"

#include <QObject>
#include <QRegularExpression>
#include <QTcpServer>

#include <functional>
#include <optional>

namespace codalab::localserver {

class ServerStore;

/// What the HTTP layer accepts; LocalServerConfig fills it in.
struct HttpLimits
{
    HttpHeadLimits head;
    qint64 maxRequestBytes = 16 * 1024 * 1024; ///< the body of an ordinary route (JSON, a form), in memory
    qint64 maxUploadBytes = qint64(1) << 40; ///< the body of an upload route streamed to a file
    qint64 maxLargeBytes = qint64(2) << 30; ///< the body of a route that takes it in memory, large
    QString tmpDir; ///< where upload bodies are streamed to; cleared at every start
    int stallTimeoutMs = 120000; ///< a request that stops arriving for this long gets 408
};

/// The local server's HTTP side: a QTcpServer on 127.0.0.1 whose connections (HttpConnection) parse
/// requests themselves, and the routes. Routes match the whole path with a regular expression; a path that
/// matches no route is 404 "Not found: '<path>'", one whose method does not fit is 405. Authenticated routes
/// need `Authorization: Bearer <token>` with a live token; without it a client that sent `X-Requested-With`
/// gets 401, any other a redirect to the login page, as upstream. Handlers write their answer through an
/// HttpResponder, now or later (the check-in long poll) or streamed.
///
/// Each route says how it takes its body: in memory up to maxRequestBytes (Body::Small, the default), in
/// memory up to maxLargeBytes (Body::Large), or streamed to a temporary file up to maxUploadBytes
/// (Body::File, in HttpRequest::bodyFile). A body over its route's limit is refused with 413 from the
/// Content-Length alone, before it is read, and an upload route checks the token before taking the body.
class LocalHttpServer : public QObject
{
    Q_OBJECT
public:
    enum class Auth { None, Required };
    enum class Body { Small, Large, File };
    using Handler = std::function<void(HttpRequest &request, const HttpResponder &responder)>;

    LocalHttpServer(ServerStore &store, HttpLimits limits, QObject *parent = nullptr);

    void addRoute(const QByteArray &method, const QString &pattern, Auth auth, Handler handler,
        Body body = Body::Small);
    quint16 port() const { return m_port; }
    bool listenLocal(quint16 port, QString *error);
    const HttpLimits &limits() const { return m_limits; }

    /// Decided once a request's head is in (HttpConnection asks): how large its body may be and where it
    /// goes, or the answer that refuses it before its body is read.
    struct Admission
    {
        qint64 maxBodyBytes = 0;
        bool bodyToFile = false;
        std::optional<HttpResponse> refusal;
    };
    Admission admit(HttpRequest &request, qint64 contentLength) const;
    /// Routes a complete request to its handler, which answers through `responder`.
    void dispatch(HttpRequest &request, const HttpResponder &responder);

private:
    struct Route
    {
        QByteArray method;
        QRegularExpression pattern;
        Auth auth;
        Handler handler;
        Body body;
    };
    /// Sets request.user from its token; otherwise the answer that refuses it.
    std::optional<HttpResponse> authenticate(HttpRequest &request) const;
    const Route *findRoute(const HttpRequest &request, bool *pathMatched) const;

    ServerStore &m_store;
    HttpLimits m_limits;
    QTcpServer m_tcp;
    QList<Route> m_routes;
    quint16 m_port = 0;
};

} // namespace codalab::localserver
