// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/workerharness.h"

#include "support/codalabtestdata.h"
#include "support/dockertestenv.h"
#include "support/spinuntil.h"
#include "system/machinespecs.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSysInfo>
#include <QTest>

namespace codalab::test {

QString testImage()
{
    return QStringLiteral("codalab-test/busybox:latest");
}

WorkerHarness::WorkerHarness(LocalServerFixture &s, std::function<void(worker::WorkerConfig &)> tweak)
    : server(s)
    , connection(&nam)
{
    REQUIRE(workDir.isValid());
    // Unique per process: ctest runs tests in parallel, and the destructor removes this worker's containers
    // by their worker label, never another test's.
    config.id = QStringLiteral("test-worker-%1").arg(QCoreApplication::applicationPid());
    config.workDir = workDir.path();
    config.hostname = QSysInfo::machineHostName();
    config.cpuset = system::MachineSpecs::affinityCpus();
    config.slotCount = 1;
    config.memoryBytes = qint64(8) * 1024 * 1024 * 1024;
    config.runsWithoutNetwork = true; // test containers get NetworkMode none
    config.imageRefreshSec = 3600;
    config.statsIntervalMs = 500;
    config.networkPrefix = QStringLiteral("codalab_test_network");
    if (tweak) {
        tweak(config);
    }
    connection.setRetryDelayMs(100);
}

WorkerHarness::~WorkerHarness()
{
    worker.reset();
    // A test may end while a run still runs (the worker keeps its containers, as after a crash): leave the
    // daemon as it was found.
    const docker::DockerResult listed = waitReply(docker.listContainers(
        { { QStringLiteral("label"), { QStringLiteral("org.codalab.worker=") + config.id } } }));
    for (const QJsonValue &c : listed.json.array()) {
        waitReply(docker.removeContainer(c.toObject().value(QLatin1String("Id")).toString(), true));
    }
}

void WorkerHarness::start()
{
    worker.reset();
    QString error;
    REQUIRE(connection.setServerUrl(serverUrl.isEmpty() ? server.server->url() : serverUrl, &error));
    tokens = std::make_unique<server::TokenManager>(
        &connection, QStringLiteral("codalab_worker_client"), server::TokenManager::Mode::Relogin);
    tokens->setCredentials(QStringLiteral("codalab"), server.password);
    connection.setTokenManager(tokens.get());
    worker = std::make_unique<worker::Worker>(config, &connection, &docker);
    // In the test process the server is at hand: report stage changes at once, as --local does.
    const QString id = config.id;
    QObject::connect(worker.get(), &worker::Worker::wantsCheckin, worker.get(), [this, id] {
        if (server.server) {
            server.server->workerHub()->wake(id);
        }
    });
    QObject::connect(
        worker.get(), &worker::Worker::finished, worker.get(), [this](int code) { exitCode = code; });
    QSignalSpy started(worker.get(), &worker::Worker::started);
    QSignalSpy failed(worker.get(), &worker::Worker::failed);
    worker->start();
    REQUIRE(waitUntil([&] { return !started.isEmpty() || !failed.isEmpty(); }, 30000));
    INFO((failed.isEmpty() ? QString() : failed.first().first().toString()).toStdString());
    REQUIRE(failed.isEmpty());
}

void WorkerHarness::drop()
{
    worker.reset();
}

QString submitRun(HttpTestClient &client, const QString &command, const QJsonObject &metadata,
    const QJsonArray &dependencies)
{
    QJsonObject overrides { { QStringLiteral("request_docker_image"), testImage() } };
    for (auto it = metadata.begin(); it != metadata.end(); ++it) {
        overrides.insert(it.key(), it.value());
    }
    const HttpResult made = client.post(QStringLiteral("/rest/bundles?worksheet=") + homeWorksheet(client),
        bundleBody(QStringLiteral("run"), command, runMetadata(QStringLiteral("test-run"), overrides),
            dependencies));
    INFO(made.body.toStdString());
    REQUIRE(made.status == 200);
    return firstId(made);
}

void killBundle(HttpTestClient &client, const QString &uuid)
{
    const HttpResult killed = client.post(QStringLiteral("/rest/bundle-actions"),
        { { QStringLiteral("data"),
            QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("bundle-actions") },
                { QStringLiteral("attributes"),
                    QJsonObject { { QStringLiteral("type"), QStringLiteral("kill") },
                        { QStringLiteral("uuid"), uuid } } } } } } });
    REQUIRE(killed.status == 200);
}

QJsonObject dependency(const QString &childPath, const QString &parentUuid, const QString &parentPath)
{
    return { { QStringLiteral("child_path"), childPath }, { QStringLiteral("parent_uuid"), parentUuid },
        { QStringLiteral("parent_path"), parentPath } };
}

QJsonObject bundle(HttpTestClient &client, const QString &uuid)
{
    const HttpResult r = client.get(QStringLiteral("/rest/bundles/") + uuid);
    return r.json.object()
        .value(QLatin1String("data"))
        .toObject()
        .value(QLatin1String("attributes"))
        .toObject();
}

QJsonObject waitForState(
    HttpTestClient &client, const QString &uuid, const QStringList &states, int timeoutMs)
{
    QJsonObject last;
    const bool reached = waitUntil(
        [&] {
            last = bundle(client, uuid);
            return states.contains(last.value(QLatin1String("state")).toString());
        },
        timeoutMs);
    if (!reached) {
        FAIL_CHECK("bundle " << uuid.toStdString() << " did not reach "
                             << states.join(QLatin1Char('/')).toStdString() << "; it is "
                             << QJsonDocument(last).toJson(QJsonDocument::Compact).toStdString());
    }
    return last;
}

QVariant metadata(const QJsonObject &bundle, const char *key)
{
    return bundle.value(QLatin1String("metadata")).toObject().value(QLatin1String(key)).toVariant();
}

QByteArray readBundleFile(HttpTestClient &client, const QString &uuid, const QString &path)
{
    const HttpResult r = client.get(QStringLiteral("/rest/bundles/%1/contents/blob/%2").arg(uuid, path));
    return r.status == 200 ? r.body : QByteArray();
}

bool waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    return spinUntil(condition, timeoutMs, 50);
}

} // namespace codalab::test
