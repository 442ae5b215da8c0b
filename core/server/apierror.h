// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

class QNetworkReply;

namespace codalab::server {

/// A failed CodaLab REST call, classified once (shared/style.md §6). `message` is ready for a user.
struct ApiError
{
    enum class Kind {
        None,
        InvalidUrl, ///< no scheme, or not http(s)
        Network, ///< refused, unreachable, dropped: transient
        Timeout, ///< transient
        Tls, ///< certificate or handshake failure; never retried, never ignored
        Authentication, ///< 401, or bad credentials at the token endpoint
        Client, ///< other 4xx: the server's own message
        Server, ///< 5xx: transient
        MalformedJson, ///< a body that should be JSON and is not
        Cancelled, ///< the caller cancelled; never reported as a failure
    };

    Kind kind = Kind::None;
    int httpStatus = 0;
    QString message;

    bool isError() const { return kind != Kind::None; }
    explicit operator bool() const { return isError(); }
    /// Worth another try after a pause.
    bool isTransient() const
    {
        return kind == Kind::Network || kind == Kind::Timeout || kind == Kind::Server;
    }

    static ApiError make(Kind kind, const QString &message, int httpStatus = 0);
    /// From a finished reply and its body: transport errors first, then the HTTP status.
    static ApiError fromReply(QNetworkReply *reply, const QByteArray &body);
};

} // namespace codalab::server

Q_DECLARE_METATYPE(codalab::server::ApiError)
