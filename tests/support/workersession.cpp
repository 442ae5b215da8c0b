// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/workersession.h"

#include <QSignalSpy>

#include <catch2/catch.hpp>

namespace codalab::test {

WorkerSession::WorkerSession(const QString &serverUrl, const QString &password, const QString &id)
    : tokens(&connection, QStringLiteral("codalab_worker_client"), server::TokenManager::Mode::Relogin)
    , api(&connection, id)
{
    QString error;
    REQUIRE(connection.setServerUrl(serverUrl, &error));
    connection.setTokenManager(&tokens);
    tokens.setCredentials(QStringLiteral("codalab"), password);
}

} // namespace codalab::test
