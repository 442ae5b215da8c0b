// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/clstateimport.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace codalab::secrets {

namespace {

QString expandHome(const QString &path, const QProcessEnvironment &environment)
{
    const QString home = environment.value(QStringLiteral("HOME"), QDir::homePath());
    if (path == QLatin1String("~")) {
        return home;
    }
    if (path.startsWith(QLatin1String("~/"))) {
        return home + path.mid(1);
    }
    return path;
}

// cl writes expires_at as seconds since the epoch, a float (time.time() + expires_in).
QDateTime expiryFrom(const QJsonValue &value)
{
    if (!value.isDouble() || !std::isfinite(value.toDouble()) || value.toDouble() <= 0) {
        return {};
    }
    return QDateTime::fromMSecsSinceEpoch(
        static_cast<qint64>(std::llround(value.toDouble() * 1000.0)), Qt::UTC);
}

} // namespace

QString ClStateImport::defaultStatePath(const QProcessEnvironment &environment)
{
    const QString state = environment.value(QStringLiteral("CODALAB_STATE"));
    if (!state.isEmpty()) {
        return QDir::cleanPath(QDir(QDir::currentPath()).absoluteFilePath(expandHome(state, environment)));
    }
    QString home = environment.value(QStringLiteral("CODALAB_HOME"));
    if (home.isEmpty()) {
        home = QStringLiteral("~/.codalab");
    }
    home = QDir(QDir::currentPath()).absoluteFilePath(expandHome(home, environment));
    return QDir::cleanPath(home + QLatin1String("/state.json"));
}

ClStateImport::ClStateImport(const QString &statePath)
    : m_statePath(statePath)
{ }

bool ClStateImport::load()
{
    m_error = Error::None;
    m_errorString.clear();
    m_logins.clear();
    m_warnings.clear();

    QFile file(m_statePath);
    if (!file.exists()) {
        return fail(Error::Missing, QStringLiteral("No cl login found: %1 does not exist.").arg(m_statePath));
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(Error::Unreadable,
            QStringLiteral("Cannot read the cl state file %1: %2").arg(m_statePath, file.errorString()));
    }
    const QByteArray content = file.read(MaxSize + 1);
    if (content.size() > MaxSize) {
        return fail(Error::Malformed,
            QStringLiteral("The cl state file %1 is larger than %2 bytes.").arg(m_statePath).arg(MaxSize));
    }
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(content, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return fail(Error::Malformed,
            QStringLiteral("The cl state file %1 is not valid JSON (%2 at offset %3).")
                .arg(m_statePath, parseError.errorString())
                .arg(parseError.offset));
    }
    if (!doc.isObject()) {
        return fail(
            Error::Malformed, QStringLiteral("The cl state file %1 is not a JSON object.").arg(m_statePath));
    }
    const QJsonValue auth = doc.object().value(QLatin1String("auth"));
    if (auth.isUndefined() || auth.isNull()) {
        return true; // cl has state but no login: nothing to import
    }
    if (!auth.isObject()) {
        return fail(Error::Malformed,
            QStringLiteral("The cl state file %1 has an \"auth\" entry that is not an object.")
                .arg(m_statePath));
    }
    const QJsonObject entries = auth.toObject();
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        const QJsonObject tokenInfo = entry.value(QLatin1String("token_info")).toObject();
        ClLogin login;
        login.serverAddress = it.key();
        login.username = entry.value(QLatin1String("username")).toString();
        login.accessToken = tokenInfo.value(QLatin1String("access_token")).toString();
        login.refreshToken = tokenInfo.value(QLatin1String("refresh_token")).toString();
        login.tokenType = tokenInfo.value(QLatin1String("token_type")).toString();
        login.scope = tokenInfo.value(QLatin1String("scope")).toString();
        login.expiresAt = expiryFrom(tokenInfo.value(QLatin1String("expires_at")));
        // Without a user there is nothing to attach the tokens to; without either token nothing to use.
        if (!it.value().isObject() || login.serverAddress.isEmpty() || login.username.isEmpty()
            || (login.accessToken.isEmpty() && login.refreshToken.isEmpty())) {
            m_warnings.append(
                QStringLiteral("Skipped the cl login for \"%1\": it lacks a user name or token.")
                    .arg(it.key()));
            continue;
        }
        m_logins.append(login);
    }
    return true;
}

bool ClStateImport::fail(Error error, const QString &message)
{
    m_error = error;
    m_errorString = message;
    return false;
}

} // namespace codalab::secrets
