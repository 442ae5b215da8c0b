// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlestore.h"

#include <optional>

namespace codalab::localserver {

/// `cl search` keywords read as upstream's BundleModel.search_bundles reads them (see README): bare words
/// match a uuid or a name in part, `key=value` a column or a metadata key (`,` a list, `%` or `.*` a
/// pattern, `.sort`/`.sort-` an order, `.sum` a total), and the special keywords `.mine`, `.floating`,
/// `.last`, `.count`, `.limit=`, `.offset=`, `.before=`/`.after=` (ISO dates on `created`), `owner=`,
/// `worksheet=`/`host_worksheet=`, `dependency=`, `dependency/<key>=`. Without `.limit` at most 10 come
/// back, as upstream.
class BundleSearch
{
public:
    enum class Mode { List, Count, Sum };
    struct Parsed
    {
        BundleQuery query;
        Mode mode = Mode::List;
        QString sumExpression; ///< for Mode::Sum
    };

    BundleSearch() = delete;
    /// nullopt and *error (upstream's words) for a keyword it cannot read.
    static std::optional<Parsed> parse(
        const QStringList &keywords, const UserRecord &user, const ServerStore &store, QString *error);
};

} // namespace codalab::localserver
