// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the cache tests share: a worker's REST client and tags of the test image that clean up after
// themselves.

#include "docker/dockerclient.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "server/workerapi.h"
#include "support/dockertestenv.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QStringList>

#include <catch2/catch.hpp>

namespace codalab::test {

/// A worker's REST client for one server: the local server (logged in as codalab) or, with no password,
/// a scripted one that takes a fixed token.
struct WorkerClient
{
    QNetworkAccessManager nam;
    server::ServerConnection connection { &nam };
    server::TokenManager tokens;
    server::WorkerApi api;

    WorkerClient(const QString &url, const QString &password)
        : tokens(&connection, QStringLiteral("codalab_worker_client"), server::TokenManager::Mode::Relogin)
        , api(&connection, QStringLiteral("cache-test"))
    {
        QString error;
        REQUIRE(connection.setServerUrl(url, &error));
        connection.setTokenManager(&tokens);
        if (password.isEmpty()) {
            tokens.setToken(QStringLiteral("test-token"), {}, QDateTime::currentSecsSinceEpoch() + 3600);
        } else {
            tokens.setCredentials(QStringLiteral("codalab"), password);
        }
    }
};

/// Tags of the test image made for one test, removed again at its end.
struct TestTags
{
    docker::DockerClient &client;
    QStringList names;

    QString add(const QString &repository)
    {
        const QString tag = QString::number(QRandomGenerator::global()->generate(), 16);
        REQUIRE(waitReply(client.tagImage(TestImage, repository, tag)).ok());
        names.append(repository + QLatin1Char(':') + tag);
        return names.last();
    }
    ~TestTags()
    {
        for (const QString &name : std::as_const(names)) {
            waitReply(client.removeImage(name));
        }
    }
};

} // namespace codalab::test
