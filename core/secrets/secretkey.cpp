// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/secretkey.h"

#include <QUrl>

namespace codalab::secrets {

SecretKey::SecretKey(const QString &serverUrl, const QString &username)
    : m_server(normalizeServerUrl(serverUrl))
    , m_username(username.trimmed())
{ }

QString SecretKey::toString() const
{
    // A normalised URL is fully percent-encoded, so it never holds a raw '|': the first '|' always ends the
    // server part, and two different (server, user) pairs can never give the same key.
    return m_server + QLatin1Char('|') + m_username;
}

QString SecretKey::normalizeServerUrl(const QString &url)
{
    QString text = url.trimmed();
    if (text.isEmpty()) {
        return {};
    }
    // People type "worksheets.codalab.org"; cl itself always has a scheme, and CodaLab's default is https.
    if (!text.contains(QLatin1String("://"))) {
        text.prepend(QLatin1String("https://"));
    }
    QUrl parsed(text, QUrl::TolerantMode);
    if (!parsed.isValid() || parsed.host().isEmpty()) {
        return {};
    }
    if ((parsed.scheme() == QLatin1String("https") && parsed.port() == 443)
        || (parsed.scheme() == QLatin1String("http") && parsed.port() == 80)) {
        parsed.setPort(-1);
    }
    QString path = parsed.path(QUrl::FullyEncoded);
    while (path.endsWith(QLatin1Char('/'))) {
        path.chop(1);
    }
    parsed.setPath(path, QUrl::StrictMode);
    // QUrl already lower-cases the scheme and the host.
    return parsed.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment
        | QUrl::NormalizePathSegments | QUrl::FullyEncoded);
}

} // namespace codalab::secrets
