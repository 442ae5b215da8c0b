// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/codalabclient.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"

#include <QObject>
#include <QPointer>

class QNetworkAccessManager;

namespace codalab::server {
class ApiJob;
}

namespace codalab::ui {

/// The desktop's account on one CodaLab server: the connection, its tokens and the REST client every page
/// uses. The client object stays the same for the application's life; open() points it at another server or
/// user.
///
/// Usage: open(url, user, password) checks the login with GET /rest/user and ends in opened(userName) or
/// failed(message) (a wrong password, a server that does not answer); an open() while one is checking
/// supersedes it. readLocalServer() reads the URL and the root password a codalab-local-server wrote
/// into its data directory.
class ServerSession : public QObject
{
    Q_OBJECT
public:
    explicit ServerSession(QNetworkAccessManager *nam, QObject *parent = nullptr);

    server::CodaLabClient *client() { return &m_client; }
    QString serverUrl() const { return m_url; }
    QString userName() const { return m_userName; }
    /// The login the session was opened with: what the desktop hands a worker manager it starts (through its
    /// environment), as it does the worker.
    QString loginName() const { return m_loginName; }
    QString password() const { return m_password; }
    bool isOpen() const { return m_open; }

    void open(const QString &url, const QString &username, const QString &password);
    void close();

    /// From <dataDir>/server-url and <dataDir>/codalab-password (user, then password); false while the
    /// server has not written them yet.
    static bool readLocalServer(const QString &dataDir, QString *url, QString *username, QString *password);

Q_SIGNALS:
    void opened(const QString &userName);
    void failed(const QString &message);
    void closed();

private:
    server::ServerConnection m_connection;
    server::TokenManager m_tokens;
    server::CodaLabClient m_client;
    QPointer<server::ApiJob> m_check;
    QString m_url;
    QString m_userName;
    QString m_loginName;
    QString m_password;
    bool m_open = false;
};

} // namespace codalab::ui
