// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/secreterror.h"

namespace codalab::secrets {

namespace {

QString messageFor(SecretError::Kind kind)
{
    switch (kind) {
    case SecretError::Kind::None:
        return {};
    case SecretError::Kind::NoBackend:
        return QStringLiteral(
            "No keyring is available: install and unlock GNOME Keyring or KWallet (any Secret Service "
            "provider) and try again. On a machine without a desktop session, use a password file "
            "(--password-file) or CODALAB_USERNAME and CODALAB_PASSWORD instead.");
    case SecretError::Kind::Locked:
        return QStringLiteral("The keyring is locked: unlock it (log in to the desktop session, or open "
                              "Passwords and Keys / KWallet Manager) and try again.");
    case SecretError::Kind::NotFound:
        return QStringLiteral("No password is saved for this server and user.");
    case SecretError::Kind::AccessDenied:
        return QStringLiteral("Access to the keyring was denied.");
    case SecretError::Kind::Other:
        return QStringLiteral("The keyring reported an error.");
    case SecretError::Kind::Cancelled:
        return QStringLiteral("Cancelled");
    }
    return {};
}

} // namespace

SecretError SecretError::make(Kind kind, const QString &detail)
{
    QString message = messageFor(kind);
    // For the unclassified case the backend's own words are all the user can go on.
    if (kind == Kind::Other && !detail.isEmpty()) {
        message = QStringLiteral("The keyring reported an error: %1").arg(detail);
    }
    return SecretError { kind, message, detail };
}

QString SecretError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::NoBackend:
        return QStringLiteral("no backend");
    case Kind::Locked:
        return QStringLiteral("locked");
    case Kind::NotFound:
        return QStringLiteral("not found");
    case Kind::AccessDenied:
        return QStringLiteral("access denied");
    case Kind::Other:
        return QStringLiteral("other");
    case Kind::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

} // namespace codalab::secrets
