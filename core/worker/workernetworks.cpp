// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/workernetworks.h"

#include "docker/dockerclient.h"

#include <memory>

namespace codalab::worker {

namespace {

struct Step
{
    docker::DockerClient *docker;
    QObject *context;
    QStringList names;
    std::function<void(const QString &)> done;
};

void ensureNext(std::shared_ptr<Step> step, int index)
{
    if (index >= step->names.size()) {
        step->done(QString());
        return;
    }
    const QString name = step->names.at(index);
    docker::DockerReply *inspect = step->docker->inspectNetwork(name);
    QObject::connect(inspect, &docker::DockerReply::finished, step->context,
        [step, name, index](const docker::DockerResult &r) {
            if (r.ok()) {
                ensureNext(step, index + 1);
                return;
            }
            docker::DockerReply *create = step->docker->createNetwork(
                name, index != 0, { { QStringLiteral("org.codalab.worker-network"), QStringLiteral("1") } });
            QObject::connect(create, &docker::DockerReply::finished, step->context,
                [step, name, index](const docker::DockerResult &c) {
                    // 409: another worker made it meanwhile, which is as good.
                    if (c.error && c.error.kind != docker::DockerError::Kind::Conflict) {
                        step->done(QStringLiteral("cannot create the Docker network %1: %2")
                                       .arg(name, c.error.message));
                        return;
                    }
                    ensureNext(step, index + 1);
                });
        });
}

} // namespace

void WorkerNetworks::ensure(docker::DockerClient *docker, const QString &prefix, QObject *context,
    std::function<void(const QString &error)> done)
{
    auto step = std::make_shared<Step>(Step { docker, context,
        { prefix + QStringLiteral("_ext"), prefix + QStringLiteral("_general") }, std::move(done) });
    ensureNext(step, 0);
}

} // namespace codalab::worker
