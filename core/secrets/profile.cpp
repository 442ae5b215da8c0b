// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/profile.h"

namespace codalab::secrets {

QString Profile::localProfileName()
{
    return QStringLiteral("This computer (local)");
}

Profile Profile::makeLocal(const QString &serverUrl, const QString &username)
{
    Profile profile;
    profile.name = localProfileName();
    profile.serverUrl = serverUrl;
    profile.username = username;
    profile.local = true;
    return profile;
}

} // namespace codalab::secrets
