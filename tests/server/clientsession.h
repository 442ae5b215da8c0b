// SPDX-License-Identifier: GPL-3.0-or-later
// A REST client of core/server logged in (lazily) to a test server, for the tests of tests/server.
#pragma once

#include "server/apijob.h"
#include "server/codalabclient.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>

#include <catch2/catch.hpp>

namespace codalab::test {

/// A client logged in (lazily) as `user`, with short retry pauses.
struct ClientSession
{
    QNetworkAccessManager nam;
    server::ServerConnection connection { &nam };
    server::TokenManager tokens;
    server::CodaLabClient client { &connection };

    ClientSession(const QString &url, const QString &user, const QString &password,
        server::TokenManager::Mode mode = server::TokenManager::Mode::Refresh)
        : tokens(&connection,
            mode == server::TokenManager::Mode::Refresh ? QStringLiteral("codalab_cli_client")
                                                        : QStringLiteral("codalab_worker_client"),
            mode)
    {
        QString error;
        REQUIRE(connection.setServerUrl(url, &error));
        connection.setRetryDelayMs(10);
        connection.setTokenManager(&tokens);
        tokens.setCredentials(user, password);
    }
};

/// Waits for a job's answer (REQUIREs one within the time).
inline server::ApiResult waitFor(server::ApiJob *job, int timeoutMs = 30000)
{
    QSignalSpy spy(job, &server::ApiJob::finished);
    REQUIRE(spy.wait(timeoutMs));
    return spy.first().first().value<server::ApiResult>();
}

} // namespace codalab::test
