// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlerecord.h"
#include "localserver/serverstore.h"

#include <QJsonObject>

namespace codalab::localserver {

class BundleStore;

/// Renders bundles as upstream's JSON:API resources (codalab/rest/schemas.py BundleSchema).
class BundleJson
{
public:
    explicit BundleJson(const BundleStore &bundles)
        : m_bundles(bundles)
    { }

    /// `caller` decides `permission` (and whether an anonymous bundle shows its owner); none: all.
    QJsonObject resource(const BundleRecord &bundle, const UserRecord *caller = nullptr) const;
    /// What `state_details` says: staged_status, run_status, or a fixed sentence per state.
    static QString stateDetails(const BundleRecord &bundle);
    /// The `cl` command line that would make this bundle (the `args` attribute).
    static QString args(const BundleRecord &bundle);

private:
    const BundleStore &m_bundles;
};

} // namespace codalab::localserver
