// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/dockerclient.h"
#include "localserver/localserverfixture.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "worker/worker.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QVariant>

#include <functional>
#include <memory>

namespace codalab::test {

/// The offline image every worker test runs.
QString testImage();

/// A codalab::worker::Worker in the test process, logged in as `codalab` to a LocalServerFixture, with its
/// work dir in a temporary directory that survives restarts of the worker within one test.
struct WorkerHarness
{
    explicit WorkerHarness(
        LocalServerFixture &server, std::function<void(worker::WorkerConfig &)> tweak = {});
    ~WorkerHarness();

    /// Starts (or restarts) the worker; REQUIREs that it started.
    void start();
    /// Destroys the worker as a crash would leave things: containers and state file stay.
    void drop();
    worker::WorkerConfig config;
    QTemporaryDir workDir;
    LocalServerFixture &server;
    QNetworkAccessManager nam;
    server::ServerConnection connection;
    std::unique_ptr<server::TokenManager> tokens;
    docker::DockerClient docker;
    std::unique_ptr<worker::Worker> worker;
    int exitCode = -1; ///< what finished() said, once it did
    /// When set before start(), the worker talks to this URL (e.g. a ScriptedServer) instead of `server`.
    QString serverUrl;
};

/// A run as `cl run` makes it, on the home worksheet, with the test image; returns its uuid.
QString submitRun(HttpTestClient &client, const QString &command, const QJsonObject &metadata = {},
    const QJsonArray &dependencies = {});
/// Kills a bundle as `cl kill` does (POST /rest/bundle-actions); REQUIREs that the server took it.
void killBundle(HttpTestClient &client, const QString &uuid);
/// {"child_path", "parent_uuid", "parent_path"} for bundleBody().
QJsonObject dependency(const QString &childPath, const QString &parentUuid, const QString &parentPath = {});
/// The bundle's attributes (state, metadata ...) once its state is one of `states`; FAILs after timeoutMs.
QJsonObject waitForState(
    HttpTestClient &client, const QString &uuid, const QStringList &states, int timeoutMs = 60000);
QJsonObject bundle(HttpTestClient &client, const QString &uuid);
/// A metadata value of a bundle's attributes (as bundle() returns them); numbers may come as strings.
QVariant metadata(const QJsonObject &bundle, const char *key);
/// A file of a bundle through the server's blob API (for a running bundle: read through the worker).
QByteArray readBundleFile(HttpTestClient &client, const QString &uuid, const QString &path);
/// Runs the event loop until `condition` holds; false after timeoutMs.
bool waitUntil(const std::function<bool()> &condition, int timeoutMs);

} // namespace codalab::test
