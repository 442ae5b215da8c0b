// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apiresult.h"
#include "server/codalabclient.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"

#include <QNetworkAccessManager>

namespace codalab::server {
class ApiJob;
}

namespace codalab::test {

/// A CodaLabClient logged in (lazily, as `cl` does with its client id, or as a worker with the worker's) to a
/// test server, with short retry pauses. Two sessions of one user need different modes: the server keeps one
/// token per client id and user.
struct ClientSession
{
    QNetworkAccessManager nam;
    server::ServerConnection connection { &nam };
    server::TokenManager tokens;
    server::CodaLabClient client { &connection };

    ClientSession(const QString &url, const QString &user, const QString &password,
        server::TokenManager::Mode mode = server::TokenManager::Mode::Refresh);
};

/// Runs the event loop until the job finishes (REQUIREs it within timeoutMs); its result.
server::ApiResult waitApi(server::ApiJob *job, int timeoutMs = 30000);

} // namespace codalab::test
