// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/httpresponse.h"
#include "localserver/worksheetrecord.h"

#include <QJsonObject>
#include <QSet>

namespace codalab::localserver {

class BundleJson;
class BundleStore;
class JsonApiIncluded;
class ServerStore;
class UserJson;
class WorksheetStore;
struct UserRecord;

/// Worksheets and their items as upstream's JSON:API resources (codalab/rest/schemas.py WorksheetSchema,
/// WorksheetItemSchema) with the `include=` parts the CLI asks for: owner, group_permissions, items,
/// items.bundle, items.bundle.owner, items.subworksheet. Every attribute and relationship the CLI reads is
/// there, null when empty, since it reads them without a default.
class WorksheetJson
{
public:
    WorksheetJson(const ServerStore &store, const WorksheetStore &worksheets, const BundleStore &bundles,
        const BundleJson &bundleJson, const UserJson &userJson);

    /// The includes GET /rest/worksheets/<uuid> knows; GET /rest/worksheets knows the first two.
    static const QStringList &knownIncludes();

    QJsonObject resource(const WorksheetRecord &worksheet, const UserRecord &caller) const;
    static QJsonObject itemResource(const WorksheetItemRecord &item);
    /// One worksheet with what `include` names.
    HttpResponse document(
        const WorksheetRecord &worksheet, const UserRecord &caller, const QSet<QString> &include) const;
    /// Several (search, specs), with their owners and permissions when asked.
    HttpResponse list(const QList<WorksheetRecord> &worksheets, const UserRecord &caller,
        const QSet<QString> &include) const;
    static QJsonValue isoDate(qint64 epochSeconds);

private:
    void addOwner(const QString &ownerId, JsonApiIncluded &included) const;

    const ServerStore &m_store;
    const WorksheetStore &m_worksheets;
    const BundleStore &m_bundles;
    const BundleJson &m_bundleJson;
    const UserJson &m_userJson;
};

} // namespace codalab::localserver
