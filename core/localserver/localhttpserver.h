// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/httprequest.h"
#include "localserver/httpresponder.h"

#include <QAbstractHttpServer>
#include <QRegularExpression>

#include <functional>

namespace codalab::localserver {

class ServerStore;

/// Qt HttpServer parses the requests; this class routes them and writes the answers itself, so that a
/// handler may answer later (the check-in long poll) or stream. Routes match the whole path with a
/// regular expression; a path that matches no route is 404 "Not found: '<path>'", one whose method does
/// not fit is 405. Authenticated routes need `Authorization: Bearer <token>` with a live token; without
/// it a client that sent `X-Requested-With` gets 401, any other a redirect to the login page, as upstream.
class LocalHttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    enum class Auth { None, Required };
    using Handler = std::function<void(HttpRequest &request, const HttpResponder &responder)>;

    LocalHttpServer(ServerStore &store, qint64 maxBodyBytes, QObject *parent = nullptr);

    void addRoute(const QByteArray &method, const QString &pattern, Auth auth, Handler handler);
    quint16 port() const { return m_port; }
    bool listenLocal(quint16 port, QString *error);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Route
    {
        QByteArray method;
        QRegularExpression pattern;
        Auth auth;
        Handler handler;
    };
    bool authenticate(HttpRequest &request, const HttpResponder &responder) const;

    ServerStore &m_store;
    qint64 m_maxBodyBytes;
    QList<Route> m_routes;
    quint16 m_port = 0;
};

} // namespace codalab::localserver
