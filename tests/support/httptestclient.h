// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QUrl>

namespace codalab::test {

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QJsonDocument json;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray header(const QByteArray &name) const;
};

/// Plain HTTP calls for tests, against a server on 127.0.0.1: sends the headers the CodaLab clients send
/// (X-Requested-With, Bearer token) and waits for the answer. Redirects are not followed.
class HttpTestClient
{
public:
    explicit HttpTestClient(QUrl base)
        : m_base(std::move(base))
    { }

    void setToken(const QString &token) { m_token = token; }
    const QString &token() const { return m_token; }
    void setRequestedWith(bool on) { m_requestedWith = on; }

    HttpResult get(const QString &path, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpResult post(const QString &path, const QJsonObject &body)
    {
        return send("POST", path, QJsonDocument(body).toJson(), "application/json");
    }
    HttpResult patch(const QString &path, const QJsonObject &body)
    {
        return send("PATCH", path, QJsonDocument(body).toJson(), "application/json");
    }
    HttpResult del(const QString &path, const QJsonObject &body)
    {
        return send("DELETE", path, QJsonDocument(body).toJson(), "application/json");
    }
    HttpResult send(const QByteArray &method, const QString &path, const QByteArray &body,
        const QByteArray &contentType, const QList<QPair<QByteArray, QByteArray>> &headers = {});

    /// Writes `request` as it is on a new connection and returns what came back until the server went quiet.
    QByteArray raw(const QByteArray &request);
    /// POST /rest/oauth2/token with the password grant; returns the JSON answer.
    HttpResult passwordGrant(const QString &client, const QString &user, const QString &password);
    /// Logs in with codalab_cli_client and keeps the token; REQUIREs success.
    void login(const QString &user, const QString &password);

private:
    QUrl m_base;
    QString m_token;
    bool m_requestedWith = true;
    QNetworkAccessManager m_nam;
};

} // namespace codalab::test
