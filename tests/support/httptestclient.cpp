// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/httptestclient.h"

#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <catch2/catch.hpp>

namespace codalab::test {

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

HttpResult HttpTestClient::get(const QString &path, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return send("GET", path, {}, {}, headers);
}

HttpResult HttpTestClient::send(const QByteArray &method, const QString &path, const QByteArray &body,
    const QByteArray &contentType, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(m_base.resolved(QUrl(path)));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setDecompressedSafetyCheckThreshold(-1); // test data compresses far better than real files
    if (m_requestedWith) {
        request.setRawHeader("X-Requested-With", "XMLHttpRequest");
    }
    if (!m_token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
    }
    if (!contentType.isEmpty()) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    }
    for (const auto &[name, value] : headers) {
        request.setRawHeader(name, value);
    }
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !done.wait(30000)) {
        FAIL(method.toStdString() << ' ' << path.toStdString() << " got no answer in 30 s");
    }
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    result.json = QJsonDocument::fromJson(result.body);
    reply->deleteLater();
    return result;
}

QByteArray HttpTestClient::raw(const QByteArray &request)
{
    // The server may live in this thread: wait by spinning the event loop, never by blocking it.
    QTcpSocket socket;
    QByteArray answer;
    QObject::connect(&socket, &QTcpSocket::readyRead, [&] { answer += socket.readAll(); });
    socket.connectToHost(m_base.host(), quint16(m_base.port()));
    REQUIRE(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000));
    socket.write(request);
    REQUIRE(QTest::qWaitFor([&] { return answer.contains("\r\n\r\n"); }, 10000));
    QTest::qWait(100); // the rest of a short body
    return answer;
}

HttpResult HttpTestClient::passwordGrant(const QString &client, const QString &user, const QString &password)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("password"));
    form.addQueryItem(QStringLiteral("username"), QString::fromLatin1(QUrl::toPercentEncoding(user)));
    form.addQueryItem(QStringLiteral("password"), QString::fromLatin1(QUrl::toPercentEncoding(password)));
    return send("POST", QStringLiteral("/rest/oauth2/token"), form.toString(QUrl::FullyEncoded).toLatin1(),
        "application/x-www-form-urlencoded",
        { { "Authorization", "Basic " + QByteArray(client.toLatin1() + ':').toBase64() } });
}

void HttpTestClient::login(const QString &user, const QString &password)
{
    const HttpResult r = passwordGrant(QStringLiteral("codalab_cli_client"), user, password);
    REQUIRE(r.status == 200);
    m_token = r.json.object().value(QLatin1String("access_token")).toString();
    REQUIRE(!m_token.isEmpty());
}

} // namespace codalab::test
