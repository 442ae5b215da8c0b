// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/localserver.h"
#include "support/httptestclient.h"

#include <QFile>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

namespace codalab::test {

/// A codalab-local-server in the test process, on 127.0.0.1 port 0, with its data in a temporary
/// directory that outlives restarts of the server within one test.
struct LocalServerFixture
{
    QTemporaryDir dataDir;
    std::unique_ptr<localserver::LocalServer> server;
    QString password; ///< of the root user `codalab`

    std::function<void(localserver::LocalServerConfig &)> tweak;

    explicit LocalServerFixture(int tokenLifetimeSec = 3600) { start(tokenLifetimeSec); }
    explicit LocalServerFixture(std::function<void(localserver::LocalServerConfig &)> configure)
        : tweak(std::move(configure))
    {
        start();
    }

    void start(int tokenLifetimeSec = 3600)
    {
        REQUIRE(dataDir.isValid());
        localserver::LocalServerConfig config;
        config.dataDir = dataDir.path();
        config.tokenLifetimeSec = tokenLifetimeSec;
        if (tweak) {
            tweak(config);
        }
        server = std::make_unique<localserver::LocalServer>(config);
        QString error;
        INFO(error.toStdString());
        REQUIRE(server->start(&error));
        QFile file(server->passwordFile());
        REQUIRE(file.open(QIODevice::ReadOnly));
        password = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n')).value(1);
    }

    void restart(int tokenLifetimeSec = 3600)
    {
        server.reset();
        start(tokenLifetimeSec);
    }

    HttpTestClient client() const { return HttpTestClient(QUrl(server->url())); }
    /// A client logged in as `codalab`.
    std::unique_ptr<HttpTestClient> root() const
    {
        auto c = std::make_unique<HttpTestClient>(QUrl(server->url()));
        c->login(QStringLiteral("codalab"), password);
        return c;
    }
};

} // namespace codalab::test
