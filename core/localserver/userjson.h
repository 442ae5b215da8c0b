// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/serverstore.h"

#include <QJsonObject>

namespace codalab::localserver {

class QuotaMeter;

/// Users as upstream's JSON:API resources (codalab/rest/schemas.py): what anyone may see of a user
/// (UserSchema), what a user sees of themselves (AuthenticatedUserSchema, plus is_root_user), and what root
/// sees of anyone (AdminUserSchema). Dates are written as upstream writes them, strftime("%c").
class UserJson
{
public:
    enum class View { Public, Self, Admin };

    explicit UserJson(const QuotaMeter &quotas)
        : m_quotas(quotas)
    { }

    QJsonObject resource(const UserRecord &user, View view) const;
    /// "Tue Mar  5 14:02:11 2024" in local time, or null for 0.
    static QJsonValue cDate(qint64 epochSeconds);

private:
    const QuotaMeter &m_quotas;
};

} // namespace codalab::localserver
