// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace codalab::secrets {

/// One server login cached by the `cl` command line client (an `auth` entry of its state.json). The tokens
/// are secrets: hand them to SecretStore, never to settings.
struct ClLogin
{
    QString serverAddress; ///< as cl wrote it, e.g. "https://worksheets.codalab.org"
    QString username;
    QString accessToken;
    QString refreshToken;
    QString tokenType; ///< "Bearer"
    QString scope;
    QDateTime expiresAt; ///< invalid when cl did not record it

    /// True when the access token is past its expiry (or has none recorded) at `now`.
    bool isExpired(const QDateTime &now = QDateTime::currentDateTimeUtc()) const
    {
        return !expiresAt.isValid() || expiresAt <= now;
    }
};

} // namespace codalab::secrets

Q_DECLARE_METATYPE(codalab::secrets::ClLogin)
