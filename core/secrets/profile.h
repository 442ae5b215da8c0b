// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/secretkey.h"

#include <QMetaType>
#include <QString>

namespace codalab::secrets {

/// One CodaLab account the desktop client knows: where, as whom, and the defaults for new runs. It holds no
/// secret: the password or token lives in the keyring under secretKey().
struct Profile
{
    QString id; ///< stable; given by ProfileStore::add()
    QString name; ///< shown to the user
    QString serverUrl; ///< normalised by ProfileStore (SecretKey::normalizeServerUrl)
    QString username;
    QString defaultWorksheet; ///< uuid or name; empty for the user's home worksheet
    QString defaultQueueTag; ///< request_queue of new runs; empty for none
    bool local = false; ///< the built-in profile of this computer's codalab-local-server

    SecretKey secretKey() const { return SecretKey(serverUrl, username); }

    /// "This computer (local)".
    static QString localProfileName();
    /// The built-in local profile, for a local server at `serverUrl` (may be empty until it has started).
    static Profile makeLocal(const QString &serverUrl = {}, const QString &username = {});

    friend bool operator==(const Profile &, const Profile &) = default;
};

} // namespace codalab::secrets

Q_DECLARE_METATYPE(codalab::secrets::Profile)
