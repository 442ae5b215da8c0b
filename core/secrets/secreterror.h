// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>
#include <QString>

namespace codalab::secrets {

/// A failed keyring operation, classified once. `message` is ready to show to a user; `detail` is what the
/// keyring backend itself said, for logs.
struct SecretError
{
    enum class Kind {
        None, ///< no error
        NoBackend, ///< no Secret Service (GNOME Keyring, KWallet, ...) on the session bus, or no session bus
        Locked, ///< the keyring is there but locked (or has no default collection to write to)
        NotFound, ///< nothing is stored under this key
        AccessDenied, ///< the user or the keyring refused access
        Other, ///< anything else the backend reported
        Cancelled, ///< the caller cancelled; never shown as a failure
    };

    Kind kind = Kind::None;
    QString message;
    QString detail;

    bool isError() const { return kind != Kind::None; }
    explicit operator bool() const { return isError(); }

    /// The error of this kind with its user-readable message; `detail` is kept as is.
    static SecretError make(Kind kind, const QString &detail = {});
    static QString kindName(Kind kind);
};

} // namespace codalab::secrets

Q_DECLARE_METATYPE(codalab::secrets::SecretError)
