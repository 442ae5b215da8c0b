// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QPair>
#include <QString>

namespace codalab::localserver {

/// One HTTP answer. JSON goes out as `Content-Type: application/json` exactly (the Python clients only
/// parse bodies with that header) and errors as plain text, as upstream's REST server does.
struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    qint64 contentLength = -1; ///< when the body follows separately (a streamed file); else body.size()

    static HttpResponse json(const QJsonDocument &document, int status = 200);
    static HttpResponse json(const QJsonObject &object, int status = 200);
    static HttpResponse error(int status, const QString &message);
    static HttpResponse bytes(const QByteArray &body, const QByteArray &contentType, int status = 200);

    HttpResponse &withHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append({ name, value });
        return *this;
    }
    /// The bytes on the wire: status line, headers with Content-Length, body.
    QByteArray serialize() const;
    static QByteArray reasonPhrase(int status);
};

} // namespace codalab::localserver
