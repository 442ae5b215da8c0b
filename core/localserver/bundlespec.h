// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlerecord.h"

#include <optional>

namespace codalab::localserver {

class BundleStore;
class WorksheetStore;
struct UserRecord;

/// What a bundle spec names, as upstream's canonicalize.get_bundle_uuid reads it: a uuid, a uuid prefix, a
/// name (the newest of that name on the worksheet, `name^N` the Nth newest; `%` or `.*` a pattern), `^N`
/// (the Nth last bundle of the worksheet) or `<worksheet>/<spec>`. Errors carry upstream's status and words.
class BundleSpec
{
public:
    struct Result
    {
        std::optional<BundleRecord> bundle;
        int status = 200;
        QString error;
    };

    BundleSpec(const BundleStore &bundles, WorksheetStore &worksheets)
        : m_bundles(bundles)
        , m_worksheets(worksheets)
    { }

    Result resolve(const QString &spec, const QString &worksheetUuid, const UserRecord &user) const;

private:
    /// Bundle uuids on the worksheet, last first.
    QStringList worksheetBundles(const QString &worksheetUuid) const;

    const BundleStore &m_bundles;
    WorksheetStore &m_worksheets;
};

} // namespace codalab::localserver
