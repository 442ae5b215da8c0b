// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/apierror.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

namespace codalab::server {

ApiError ApiError::make(Kind kind, const QString &message, int httpStatus)
{
    return ApiError { kind, httpStatus, message };
}

ApiError ApiError::fromReply(QNetworkReply *reply, const QByteArray &body)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString host = reply->url().host()
        + (reply->url().port() > 0 ? QStringLiteral(":%1").arg(reply->url().port()) : QString());
    switch (reply->error()) {
    case QNetworkReply::NoError:
        break;
    case QNetworkReply::OperationCanceledError:
        return make(Kind::Cancelled, QStringLiteral("Cancelled"));
    case QNetworkReply::TimeoutError:
        return make(Kind::Timeout, QStringLiteral("The server %1 did not answer in time").arg(host));
    case QNetworkReply::SslHandshakeFailedError:
        return make(
            Kind::Tls, QStringLiteral("Secure connection to %1 failed: %2").arg(host, reply->errorString()));
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyNotFoundError:
        return make(Kind::Network,
            QStringLiteral("Cannot reach the CodaLab server %1: %2").arg(host, reply->errorString()));
    default:
        if (status == 0) {
            return make(Kind::Network,
                QStringLiteral("Cannot reach the CodaLab server %1: %2").arg(host, reply->errorString()));
        }
        break;
    }
    if (status < 400) {
        return {};
    }
    // Upstream answers errors as plain text; the token endpoint as {"error", "error_description"}.
    QString text = QString::fromUtf8(body.left(2000)).trimmed();
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    if (json.contains(QLatin1String("error"))) {
        text = json.value(QLatin1String("error_description"))
                   .toString(json.value(QLatin1String("error")).toString());
    }
    if (text.isEmpty()) {
        text = QStringLiteral("HTTP status %1").arg(status);
    }
    if (status == 401) {
        return make(Kind::Authentication, QStringLiteral("Not logged in to %1: %2").arg(host, text), status);
    }
    return make(status >= 500 ? Kind::Server : Kind::Client, text, status);
}

} // namespace codalab::server
