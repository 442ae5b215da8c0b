// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLatin1String>

namespace codalab::server {

/// The kinds of bundle (upstream codalab/bundles/*): an uploaded `dataset` (or the older `program`), a `run`
/// made by a worker, a `make` the server assembles from other bundles.
class BundleType
{
public:
    BundleType() = delete;

    static constexpr QLatin1String Dataset { "dataset" };
    static constexpr QLatin1String Program { "program" };
    static constexpr QLatin1String Run { "run" };
    static constexpr QLatin1String Make { "make" };
    /// What a bundle the caller may not read shows as.
    static constexpr QLatin1String Private { "private" };
};

} // namespace codalab::server
