// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/dockererror.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace codalab::docker {

DockerError DockerError::fromHttp(int status, const QByteArray &body)
{
    Kind kind = Kind::ServerError;
    switch (status) {
    case 400:
        kind = Kind::BadRequest;
        break;
    case 404:
        kind = Kind::NotFound;
        break;
    case 409:
        kind = Kind::Conflict;
        break;
    default:
        break;
    }
    // The Engine answers errors as {"message": "..."}; anything else is shown trimmed as it came.
    QString message;
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        message = doc.object().value(QLatin1String("message")).toString();
    }
    if (message.isEmpty()) {
        message = QString::fromUtf8(body.left(500)).trimmed();
    }
    if (message.isEmpty()) {
        message = QStringLiteral("HTTP status %1").arg(status);
    }
    return DockerError { kind, status, message };
}

DockerError DockerError::make(Kind kind, const QString &message, int httpStatus)
{
    return DockerError { kind, httpStatus, message };
}

QString DockerError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::Unreachable:
        return QStringLiteral("unreachable");
    case Kind::PermissionDenied:
        return QStringLiteral("permission denied");
    case Kind::BadRequest:
        return QStringLiteral("bad request");
    case Kind::NotFound:
        return QStringLiteral("not found");
    case Kind::Conflict:
        return QStringLiteral("conflict");
    case Kind::ServerError:
        return QStringLiteral("server error");
    case Kind::Protocol:
        return QStringLiteral("protocol error");
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

} // namespace codalab::docker
