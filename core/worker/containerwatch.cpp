// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/containerwatch.h"

#include "docker/dockerclient.h"
#include "worker/directorysizer.h"

namespace codalab::worker {

namespace {
/// Bash's own errors (the user's stderr goes to the file) become the failure message; keep it short.
constexpr qsizetype MaxContainerStderr = 4096;
constexpr int RetryMs = 1000;
} // namespace

ContainerWatch::ContainerWatch(
    docker::DockerClient *docker, QString container, QString runDir, int statsIntervalMs, QObject *parent)
    : QObject(parent)
    , m_docker(docker)
    , m_container(std::move(container))
    , m_runDir(std::move(runDir))
{
    m_statsTimer.setInterval(statsIntervalMs);
    connect(&m_statsTimer, &QTimer::timeout, this, &ContainerWatch::sample);
    m_retryTimer.setSingleShot(true);
}

ContainerWatch::~ContainerWatch()
{
    stop();
}

void ContainerWatch::inspect(
    void (ContainerWatch::*again)(), std::function<void(const docker::ContainerInfo &)> found)
{
    docker::DockerReply *reply = m_docker->inspectContainer(m_container);
    connect(reply, &docker::DockerReply::finished, this, [this, again, found](const docker::DockerResult &r) {
        if (r.error.kind == docker::DockerError::Kind::NotFound) {
            Q_EMIT missing();
        } else if (r.error) {
            // Errors talking to Docker mean "not finished yet" (§7); stop() cancels the retry.
            m_retryTimer.disconnect(this);
            connect(&m_retryTimer, &QTimer::timeout, this, again);
            m_retryTimer.start(RetryMs);
        } else {
            found(docker::ContainerInfo::fromInspect(r.json.object()));
        }
    });
}

void ContainerWatch::start()
{
    inspect(&ContainerWatch::start, [this](const docker::ContainerInfo &info) {
        m_container = info.id;
        Q_EMIT attached(info);
        if (!m_sizer) {
            m_sizer = new DirectorySizer(m_runDir, this);
            connect(m_sizer, &DirectorySizer::measured, this, &ContainerWatch::diskMeasured);
            m_sizer->start(1000);
        }
        m_statsTimer.start();
        sample();
        if (!info.running) {
            m_exited = true;
            Q_EMIT exited();
            return;
        }
        docker::DockerReply *wait = m_docker->waitContainer(m_container);
        connect(wait, &docker::DockerReply::finished, this, [this](const docker::DockerResult &) {
            if (!m_exited) {
                m_exited = true;
                Q_EMIT exited();
            }
        });
    });
}

void ContainerWatch::sample()
{
    if (m_statsInFlight || m_exited) {
        return;
    }
    m_statsInFlight = true;
    docker::DockerReply *stats = m_docker->stats(m_container);
    connect(stats, &docker::DockerReply::finished, this, [this](const docker::DockerResult &r) {
        m_statsInFlight = false;
        if (r.error) {
            return;
        }
        const docker::ContainerStats s = docker::ContainerStats::fromJson(r.json.object());
        // A container that already stopped answers zeros; the last real sample stands.
        if (s.cpuTotalNs > 0 || s.memoryUsageBytes > 0) {
            Q_EMIT sampled(s);
        }
    });
}

void ContainerWatch::readExit()
{
    inspect(&ContainerWatch::readExit, [this](const docker::ContainerInfo &info) {
        auto text = std::make_shared<QByteArray>();
        docker::ContainerLogs::Options options;
        options.stdoutStream = false;
        docker::ContainerLogs *logs = m_docker->logs(m_container, options);
        connect(logs, &docker::ContainerLogs::output, this,
            [text](docker::LogStreamType, const QByteArray &data) {
                if (text->size() < MaxContainerStderr) {
                    text->append(data.left(MaxContainerStderr - text->size()));
                }
            });
        connect(
            logs, &docker::ContainerLogs::finished, this, [this, text, info](const docker::DockerError &) {
                Q_EMIT exitRead(info, QString::fromUtf8(*text).trimmed());
            });
    });
}

void ContainerWatch::stop()
{
    m_statsTimer.stop();
    m_retryTimer.stop();
    if (m_sizer) {
        m_sizer->stop();
        m_sizer->deleteLater();
        m_sizer = nullptr;
    }
}

} // namespace codalab::worker
