// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlerecord.h"
#include "localserver/httpresponse.h"

#include <QSet>

namespace codalab::localserver {

class BundleJson;
class BundleStore;
class ServerStore;
class UserJson;
class WorksheetStore;
struct UserRecord;

/// Answers that carry bundles, with the `include=` parts upstream offers: owner (users), children (bundles),
/// host_worksheets (worksheets) and group_permissions (bundle-permissions), each included resource once.
class BundleDocument
{
public:
    BundleDocument(const BundleJson &json, const BundleStore &bundles, const ServerStore &store,
        const WorksheetStore &worksheets, const UserJson &users);

    static const QStringList &knownIncludes();
    /// A list (`data: [...]`), or one bundle (`data: {...}`) with `single`.
    HttpResponse render(const QList<BundleRecord> &bundles, const UserRecord &caller,
        const QSet<QString> &include, bool single = false) const;

private:
    const BundleJson &m_json;
    const BundleStore &m_bundles;
    const ServerStore &m_store;
    const WorksheetStore &m_worksheets;
    const UserJson &m_users;
};

} // namespace codalab::localserver
