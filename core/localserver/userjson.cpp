// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/userjson.h"

#include "localserver/quotameter.h"

#include <QDateTime>
#include <QLocale>

namespace codalab::localserver {

namespace {

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

} // namespace

QJsonValue UserJson::cDate(qint64 epochSeconds)
{
    if (epochSeconds <= 0) {
        return QJsonValue();
    }
    // strftime("%c") in the C locale: "Tue Mar  5 14:02:11 2024", the day padded to two places.
    const QDateTime t = QDateTime::fromSecsSinceEpoch(epochSeconds);
    const QLocale c = QLocale::c();
    return QString(c.toString(t, QStringLiteral("ddd MMM ")) + QStringLiteral("%1").arg(t.date().day(), 2)
        + c.toString(t, QStringLiteral(" hh:mm:ss yyyy")));
}

QJsonObject UserJson::resource(const UserRecord &user, View view) const
{
    QJsonObject a { { QStringLiteral("user_name"), user.name },
        { QStringLiteral("first_name"), textOrNull(user.firstName) },
        { QStringLiteral("last_name"), textOrNull(user.lastName) },
        { QStringLiteral("affiliation"), textOrNull(user.affiliation) },
        { QStringLiteral("url"), textOrNull(user.url) },
        { QStringLiteral("date_joined"), cDate(user.dateJoined) },
        { QStringLiteral("avatar_id"), textOrNull(user.avatarId) }, { QStringLiteral("has_access"), true } };
    if (view != View::Public) {
        a.insert(QStringLiteral("email"), user.email);
        a.insert(QStringLiteral("notifications"), user.notifications);
        a.insert(QStringLiteral("time_quota"), m_quotas.timeQuota(user));
        a.insert(QStringLiteral("time_used"), m_quotas.timeUsed(user.id));
        a.insert(QStringLiteral("disk_quota"), m_quotas.diskQuota(user));
        a.insert(QStringLiteral("disk_used"), m_quotas.diskUsed(user.id));
        a.insert(QStringLiteral("parallel_run_quota"), m_quotas.parallelRunQuota(user));
        a.insert(QStringLiteral("last_login"), cDate(user.lastLogin));
    }
    if (view == View::Self) {
        a.insert(QStringLiteral("is_root_user"), user.isRoot);
        a.insert(QStringLiteral("protected_mode"), false);
    } else if (view == View::Admin) {
        a.insert(QStringLiteral("is_verified"), true);
    }
    return QJsonObject { { QStringLiteral("type"), QStringLiteral("users") },
        { QStringLiteral("id"), user.id }, { QStringLiteral("attributes"), a } };
}

} // namespace codalab::localserver
