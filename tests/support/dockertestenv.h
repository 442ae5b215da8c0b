// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/containerinfo.h"
#include "docker/containerspec.h"
#include "docker/dockerclient.h"

#include <QSignalSpy>
#include <QString>
#include <QTest>

namespace codalab::test {

/// Built offline by tests/docker/build-test-image.sh: busybox-static (applets linked) plus bash-static.
inline const QString TestImage = QStringLiteral("codalab-test/busybox:latest");
/// Label on every container and network the tests create, so docker-down.sh can sweep leftovers.
inline const QString TestLabel = QStringLiteral("codalab-test");

/// Spins the event loop until `reply` finishes (REQUIREs that it does) and returns its result.
docker::DockerResult waitReply(docker::DockerReply *reply, int timeoutMs = 60000);
/// The same for jobs whose finished() carries a DockerError (ImagePull, ContainerLogs).
template<typename Job> docker::DockerError waitJob(Job *job, int timeoutMs = 60000);

struct RunOutcome
{
    QString id;
    int waitStatusCode = -1; ///< StatusCode from the wait call
    docker::ContainerInfo info; ///< inspect after it stopped
    QByteArray out;
    QByteArray err;
};

/// A Docker client for one test, which removes what the test created when it goes out of scope.
class DockerScope
{
public:
    DockerScope();
    ~DockerScope();
    DockerScope(const DockerScope &) = delete;
    DockerScope &operator=(const DockerScope &) = delete;

    docker::DockerClient &client() { return *m_client; }
    /// A name no other test uses: "codalab-test-<prefix>-<random>".
    QString uniqueName(const QString &prefix);
    /// The test image, no network, labelled for clean-up, running `bash -c script`.
    docker::ContainerSpec spec(const QString &script);
    /// Creates (REQUIRE success) and remembers the container for removal; returns its id.
    QString create(const docker::ContainerSpec &spec);
    /// Create, start, wait, inspect and read both log streams.
    RunOutcome run(const docker::ContainerSpec &spec);
    void forgetNetwork(const QString &name) { m_networks.removeAll(name); }
    void trackNetwork(const QString &name) { m_networks.append(name); }

private:
    std::unique_ptr<docker::DockerClient> m_client;
    QStringList m_containers;
    QStringList m_networks;
};

template<typename Job> docker::DockerError waitJob(Job *job, int timeoutMs)
{
    QSignalSpy spy(job, &Job::finished);
    if (!spy.wait(timeoutMs)) {
        return docker::DockerError::make(
            docker::DockerError::Kind::Timeout, QStringLiteral("test timed out"));
    }
    return spy.first().first().template value<docker::DockerError>();
}

} // namespace codalab::test
