// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace codalab::localserver {

class BundleStore;
class LocalHttpServer;
class ServerStore;

/// /rest/worksheets: the home worksheet (`specs=/`, made on first use), named ones, and one worksheet
/// with its bundle items.
class WorksheetRoutes
{
public:
    static void install(LocalHttpServer &http, ServerStore &store, BundleStore &bundles);
};

} // namespace codalab::localserver
