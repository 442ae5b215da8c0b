// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace codalab::docker {

/// A failed Engine API call, classified once. `message` is ready to show to a user.
struct DockerError
{
    enum class Kind {
        None, ///< no error
        Unreachable, ///< no daemon answers on the socket
        PermissionDenied, ///< the socket exists but this user may not open it
        BadRequest, ///< 400: the daemon refused the parameters
        NotFound, ///< 404: no such image, container or network
        Conflict, ///< 409: name in use, container not running, ...
        ServerError, ///< 500 and other statuses
        Protocol, ///< malformed answer or stream
        Timeout, ///< no progress within the allowed time
        Cancelled, ///< the caller cancelled; never shown as a failure
    };

    Kind kind = Kind::None;
    int httpStatus = 0;
    QString message;

    bool isError() const { return kind != Kind::None; }
    explicit operator bool() const { return isError(); }

    /// Builds the error for an HTTP status >= 400 from the Engine's `{"message": ...}` body.
    static DockerError fromHttp(int status, const QByteArray &body);
    static DockerError make(Kind kind, const QString &message, int httpStatus = 0);
    static QString kindName(Kind kind);
};

} // namespace codalab::docker

Q_DECLARE_METATYPE(codalab::docker::DockerError)
