// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/clientsession.h"

#include "server/apijob.h"

#include <QSignalSpy>

#include <catch2/catch.hpp>

namespace codalab::test {

ClientSession::ClientSession(
    const QString &url, const QString &user, const QString &password, server::TokenManager::Mode mode)
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

server::ApiResult waitApi(server::ApiJob *job, int timeoutMs)
{
    QSignalSpy spy(job, &server::ApiJob::finished);
    REQUIRE(spy.wait(timeoutMs));
    return spy.first().first().value<server::ApiResult>();
}

} // namespace codalab::test
