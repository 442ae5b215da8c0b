// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/profilestore.h"

#include <QRegularExpression>
#include <QSettings>
#include <QUuid>

#include <algorithm>

namespace codalab::secrets {

namespace {

const auto groupKey = QLatin1String("profiles");
const auto currentKey = QLatin1String("profiles/current");

QString profileKey(const QString &id, QLatin1String field)
{
    return groupKey + QLatin1Char('/') + id + QLatin1Char('/') + field;
}

} // namespace

ProfileStore::ProfileStore(QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{ }

ProfileStore::ProfileStore(const QString &iniPath, QObject *parent)
    : QObject(parent)
    , m_ownedSettings(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
    , m_settings(m_ownedSettings.get())
{ }

ProfileStore::~ProfileStore() = default;

QList<Profile> ProfileStore::profiles() const
{
    QList<Profile> result;
    m_settings->beginGroup(groupKey);
    const QStringList ids = m_settings->childGroups();
    m_settings->endGroup();
    for (const QString &id : ids) {
        if (auto found = profile(id)) {
            result.append(*found);
        }
    }
    std::stable_sort(result.begin(), result.end(), [](const Profile &a, const Profile &b) {
        if (a.local != b.local) {
            return a.local;
        }
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    return result;
}

std::optional<Profile> ProfileStore::profile(const QString &id) const
{
    if (id.isEmpty() || !m_settings->contains(profileKey(id, QLatin1String("name")))) {
        return std::nullopt;
    }
    Profile profile;
    profile.id = id;
    profile.name = m_settings->value(profileKey(id, QLatin1String("name"))).toString();
    profile.serverUrl = m_settings->value(profileKey(id, QLatin1String("server"))).toString();
    profile.username = m_settings->value(profileKey(id, QLatin1String("username"))).toString();
    profile.defaultWorksheet = m_settings->value(profileKey(id, QLatin1String("worksheet"))).toString();
    profile.defaultQueueTag = m_settings->value(profileKey(id, QLatin1String("queue"))).toString();
    profile.local = m_settings->value(profileKey(id, QLatin1String("local")), false).toBool();
    return profile;
}

std::optional<Profile> ProfileStore::find(const QString &serverUrl, const QString &username) const
{
    const SecretKey wanted(serverUrl, username);
    for (const Profile &candidate : profiles()) {
        if (candidate.secretKey() == wanted) {
            return candidate;
        }
    }
    return std::nullopt;
}

QString ProfileStore::add(Profile profile)
{
    m_errorString.clear();
    if (profile.id.isEmpty()) {
        profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    } else if (this->profile(profile.id)) {
        fail(QStringLiteral("A profile with id %1 exists already.").arg(profile.id));
        return {};
    }
    if (!validate(profile, profile.id)) {
        return {};
    }
    writeProfile(profile);
    if (!save()) {
        return {};
    }
    Q_EMIT profilesChanged();
    return profile.id;
}

bool ProfileStore::update(Profile profile)
{
    m_errorString.clear();
    if (!this->profile(profile.id)) {
        return fail(QStringLiteral("There is no profile with id %1.").arg(profile.id));
    }
    if (!validate(profile, profile.id)) {
        return false;
    }
    writeProfile(profile);
    if (!save()) {
        return false;
    }
    Q_EMIT profilesChanged();
    return true;
}

bool ProfileStore::remove(const QString &id)
{
    m_errorString.clear();
    if (!profile(id)) {
        return fail(QStringLiteral("There is no profile with id %1.").arg(id));
    }
    const bool wasCurrent = currentProfileId() == id;
    m_settings->remove(groupKey + QLatin1Char('/') + id);
    if (wasCurrent) {
        m_settings->remove(currentKey);
    }
    if (!save()) {
        return false;
    }
    Q_EMIT profilesChanged();
    if (wasCurrent) {
        Q_EMIT currentProfileChanged(QString());
    }
    return true;
}

QString ProfileStore::currentProfileId() const
{
    const QString id = m_settings->value(currentKey).toString();
    // A hand-edited or stale setting naming a missing profile means "none".
    return profile(id) ? id : QString();
}

std::optional<Profile> ProfileStore::currentProfile() const
{
    return profile(currentProfileId());
}

bool ProfileStore::setCurrentProfile(const QString &id)
{
    m_errorString.clear();
    if (!id.isEmpty() && !profile(id)) {
        return fail(QStringLiteral("There is no profile with id %1.").arg(id));
    }
    if (id == currentProfileId()) {
        return true;
    }
    if (id.isEmpty()) {
        m_settings->remove(currentKey);
    } else {
        m_settings->setValue(currentKey, id);
    }
    if (!save()) {
        return false;
    }
    Q_EMIT currentProfileChanged(id);
    return true;
}

bool ProfileStore::validate(Profile &profile, const QString &exceptId)
{
    profile.name = profile.name.trimmed();
    profile.username = profile.username.trimmed();
    profile.defaultWorksheet = profile.defaultWorksheet.trimmed();
    profile.defaultQueueTag = profile.defaultQueueTag.trimmed();
    const QString server = SecretKey::normalizeServerUrl(profile.serverUrl);
    // The local server's address is known only once it runs; every other profile needs one.
    if (server.isEmpty() && !(profile.local && profile.serverUrl.trimmed().isEmpty())) {
        return fail(QStringLiteral("\"%1\" is not a server address.").arg(profile.serverUrl));
    }
    profile.serverUrl = server;
    if (profile.name.isEmpty()) {
        profile.name = profile.local
            ? Profile::localProfileName()
            : (profile.username.isEmpty() ? server : profile.username + QLatin1Char('@') + server);
    }
    // cl-worker's rule for --tag, which is what a queue tag is matched against.
    static const QRegularExpression tagPattern(QStringLiteral("^[A-Za-z0-9-]*$"));
    if (!tagPattern.match(profile.defaultQueueTag).hasMatch()) {
        return fail(QStringLiteral("The queue tag \"%1\" may hold only letters, digits and hyphens.")
                        .arg(profile.defaultQueueTag));
    }
    for (const Profile &other : profiles()) {
        if (other.id == exceptId) {
            continue;
        }
        if (profile.local && other.local) {
            return fail(QStringLiteral("There is a local profile already (%1).").arg(other.name));
        }
        if (!profile.username.isEmpty() && !server.isEmpty() && other.secretKey() == profile.secretKey()) {
            return fail(QStringLiteral("The profile \"%1\" is already %2 on %3.")
                            .arg(other.name, profile.username, server));
        }
    }
    return true;
}

void ProfileStore::writeProfile(const Profile &profile)
{
    m_settings->setValue(profileKey(profile.id, QLatin1String("name")), profile.name);
    m_settings->setValue(profileKey(profile.id, QLatin1String("server")), profile.serverUrl);
    m_settings->setValue(profileKey(profile.id, QLatin1String("username")), profile.username);
    m_settings->setValue(profileKey(profile.id, QLatin1String("worksheet")), profile.defaultWorksheet);
    m_settings->setValue(profileKey(profile.id, QLatin1String("queue")), profile.defaultQueueTag);
    m_settings->setValue(profileKey(profile.id, QLatin1String("local")), profile.local);
}

bool ProfileStore::save()
{
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError) {
        return fail(QStringLiteral("Cannot save the profiles to %1.").arg(m_settings->fileName()));
    }
    return true;
}

bool ProfileStore::fail(const QString &message)
{
    m_errorString = message;
    return false;
}

} // namespace codalab::secrets
