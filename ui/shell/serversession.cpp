// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/serversession.h"

#include "server/apijob.h"

#include <QFile>
#include <QJsonObject>

namespace codalab::ui {

ServerSession::ServerSession(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_connection(nam)
    , m_tokens(&m_connection, QStringLiteral("codalab_cli_client"), server::TokenManager::Mode::Refresh)
    , m_client(&m_connection)
{
    m_connection.setTokenManager(&m_tokens);
}

void ServerSession::open(const QString &url, const QString &username, const QString &password)
{
    if (m_check) {
        m_check->cancel();
    }
    m_open = false;
    QString error;
    if (!m_connection.setServerUrl(url, &error)) {
        Q_EMIT failed(error);
        return;
    }
    m_url = url;
    m_tokens.setCredentials(username, password);
    m_loginName = username;
    m_password = password;
    m_check = m_client.currentUser();
    connect(m_check, &server::ApiJob::finished, this, [this](const server::ApiResult &result) {
        if (!result.ok()) {
            Q_EMIT failed(result.error.message);
            return;
        }
        m_userName = result.json.object()
                         .value(QLatin1String("data"))
                         .toObject()
                         .value(QLatin1String("attributes"))
                         .toObject()
                         .value(QLatin1String("user_name"))
                         .toString();
        m_open = true;
        Q_EMIT opened(m_userName);
    });
}

void ServerSession::close()
{
    if (m_check) {
        m_check->cancel();
    }
    m_tokens.setCredentials({}, {});
    m_loginName.clear();
    m_password.clear();
    const bool was = m_open;
    m_open = false;
    m_userName.clear();
    if (was) {
        Q_EMIT closed();
    }
}

bool ServerSession::readLocalServer(
    const QString &dataDir, QString *url, QString *username, QString *password)
{
    QFile urlFile(dataDir + QStringLiteral("/server-url"));
    QFile passwordFile(dataDir + QStringLiteral("/codalab-password"));
    if (!urlFile.open(QIODevice::ReadOnly) || !passwordFile.open(QIODevice::ReadOnly)) {
        return false;
    }
    const QStringList lines = QString::fromUtf8(passwordFile.read(4096)).split(QLatin1Char('\n'));
    *url = QString::fromUtf8(urlFile.read(4096)).trimmed();
    *username = lines.value(0).trimmed();
    *password = lines.value(1);
    return !url->isEmpty() && !username->isEmpty() && !password->isEmpty();
}

} // namespace codalab::ui
