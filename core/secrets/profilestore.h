// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/profile.h"

#include <QList>
#include <QObject>

#include <memory>
#include <optional>

class QSettings;

namespace codalab::secrets {

/// The list of profiles (Profile: server, user, default worksheet and queue tag, the local flag) and which
/// one is current, kept in QSettings under "profiles/". Never a secret: a Profile has no field for one, and
/// the password or token goes to SecretStore under Profile::secretKey().
///
/// Usage: ProfileStore store(&settings) with the application's QSettings (not owned), or
/// ProfileStore store(iniPath) for an INI file of its own (tests). add() gives the profile an id; update()
/// and remove() take it. Each change is written through at once (QSettings::sync) and announced with
/// profilesChanged() / currentProfileChanged(); a change that cannot be saved returns false (or an empty id)
/// and sets errorString(). Two profiles never share a server and user (they would share a keyring entry),
/// and there is at most one local profile. remove() leaves the keyring alone: remove the secret with
/// SecretStore::remove(profile.secretKey()).
class ProfileStore : public QObject
{
    Q_OBJECT
public:
    explicit ProfileStore(QSettings *settings, QObject *parent = nullptr);
    explicit ProfileStore(const QString &iniPath, QObject *parent = nullptr);
    ~ProfileStore() override;

    /// The local profile first, then by name.
    QList<Profile> profiles() const;
    std::optional<Profile> profile(const QString &id) const;
    /// The profile for this server (any spelling SecretKey normalises alike) and user.
    std::optional<Profile> find(const QString &serverUrl, const QString &username) const;

    /// Stores a new profile and returns its id; an empty string when refused (see errorString()).
    QString add(Profile profile);
    bool update(Profile profile);
    bool remove(const QString &id);

    QString currentProfileId() const;
    std::optional<Profile> currentProfile() const;
    /// An empty id clears it.
    bool setCurrentProfile(const QString &id);

    const QString &errorString() const { return m_errorString; }

Q_SIGNALS:
    void profilesChanged();
    void currentProfileChanged(const QString &id);

private:
    bool validate(Profile &profile, const QString &exceptId);
    void writeProfile(const Profile &profile);
    bool save();
    bool fail(const QString &message);

    std::unique_ptr<QSettings> m_ownedSettings;
    QSettings *m_settings;
    QString m_errorString;
};

} // namespace codalab::secrets
