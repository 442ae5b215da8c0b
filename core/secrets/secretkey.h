// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>
#include <QString>

namespace codalab::secrets {

/// Names one secret in the keyring: a CodaLab server and a user on it.
///
/// Usage: SecretKey(profile.serverUrl, profile.username); the server URL is normalised (scheme and host
/// lower-cased, default port, user info, query, fragment and trailing slash dropped, https assumed when no
/// scheme is given) so "https://Worksheets.codalab.org:443/" and "worksheets.codalab.org" name the same
/// secret. toString() is what the keyring stores as the item's key: "<server>|<username>".
class SecretKey
{
public:
    SecretKey() = default;
    SecretKey(const QString &serverUrl, const QString &username);

    const QString &server() const { return m_server; }
    const QString &username() const { return m_username; }
    /// Both a server and a user name.
    bool isValid() const { return !m_server.isEmpty() && !m_username.isEmpty(); }
    QString toString() const;

    /// The form every server address is compared and stored in; empty for an empty or unusable address.
    static QString normalizeServerUrl(const QString &url);

    friend bool operator==(const SecretKey &, const SecretKey &) = default;

private:
    QString m_server;
    QString m_username;
};

} // namespace codalab::secrets

Q_DECLARE_METATYPE(codalab::secrets::SecretKey)
