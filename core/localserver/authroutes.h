// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace codalab::localserver {

class LocalHttpServer;
class ServerStore;
struct LocalServerConfig;

/// POST /rest/oauth2/token (password and refresh grants for the two public clients, with an empty secret
/// in Basic auth), answered as upstream's oauthlib-based server answers them.
class AuthRoutes
{
public:
    static void install(LocalHttpServer &http, ServerStore &store, const LocalServerConfig &config);
};

} // namespace codalab::localserver
