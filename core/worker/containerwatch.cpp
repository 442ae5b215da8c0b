// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/containerwatch.h"

#include "docker/dockerclient.h"
#include "worker/directorysizer.h"

#include <QDateTime>

namespace codalab::worker {

namespace {
/// Bash's own errors (the user's stderr goes to the file) become the failure message; keep it short.
constexpr qsizetype MaxContainerStderr = 4096;
constexpr int RetryMs = 1000;
/// How far before the container's end a stop by Docker is looked for: its stop timeout (10 s unless set)
/// between SIGTERM and SIGKILL, and then some.
constexpr double StopEventWindowSec = 120;
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
            noteError(r.error);
            retryLater(again);
        } else {
            found(docker::ContainerInfo::fromInspect(r.json.object()));
        }
    });
}

void ContainerWatch::noteError(const docker::DockerError &error)
{
    // A daemon on its way down answers until its containers stopped, then goes: the exit may be read
    // just before it goes, and its events are lost to the restart.
    if (error.kind == docker::DockerError::Kind::Unreachable) {
        m_lostDocker = true;
    }
}

void ContainerWatch::start()
{
    // The wait goes out beside the inspect, not after it: a short run has often ended by the time a daemon
    // busy starting other containers answers the inspect, and the wait then answers at once.
    waitForExit();
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
            markExited();
        }
    });
}

void ContainerWatch::waitForExit()
{
    if (m_waiting || m_exited) {
        return;
    }
    m_waiting = true;
    docker::DockerReply *wait = m_docker->waitContainer(m_container);
    connect(wait, &docker::DockerReply::finished, this, [this](const docker::DockerResult &r) {
        m_waiting = false;
        if (m_exited) {
            return;
        }
        if (r.error.kind == docker::DockerError::Kind::NotFound) {
            // Gone (removed by hand), or not there yet for the wait: a look says missing() or goes on.
            inspect(&ContainerWatch::start, [this](const docker::ContainerInfo &info) {
                if (!info.running) {
                    markExited();
                } else if (!m_exited) {
                    retryLater(&ContainerWatch::waitForExit);
                }
            });
            return;
        }
        if (r.error) {
            // The daemon went away, or restarted: the wait failing says nothing about the container
            // (with live-restore it runs on). Look again once the daemon answers.
            m_lostDocker = true;
            Q_EMIT dockerLost(r.error.message);
            retryLater(&ContainerWatch::start);
            return;
        }
        markExited();
    });
}

void ContainerWatch::markExited()
{
    if (!m_exited) {
        m_exited = true;
        Q_EMIT exited();
    }
}

void ContainerWatch::retryLater(void (ContainerWatch::*again)())
{
    m_retryTimer.disconnect(this);
    connect(&m_retryTimer, &QTimer::timeout, this, again);
    m_retryTimer.start(RetryMs);
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
    // Bash's stderr is read beside the inspect: a short run's end waits for one answer of a busy daemon,
    // not for two in a row.
    m_exitInfo.reset();
    m_exitStderr.reset();
    readStderr();
    readExitInfo();
}

void ContainerWatch::readExitInfo()
{
    inspect(
        &ContainerWatch::readExitInfo, [this](const docker::ContainerInfo &info) { readStopSignal(info); });
}

void ContainerWatch::finishExit()
{
    if (m_exitInfo && m_exitStderr) {
        Q_EMIT exitRead(*m_exitInfo, *m_exitStderr);
    }
}

void ContainerWatch::readStopSignal(const docker::ContainerInfo &info)
{
    // Only an end by SIGTERM or SIGKILL can be Docker's doing (dockerStopMessage()): any other exit needs no
    // look at the events, which costs the daemon a scan of its log.
    const bool stopSignalled = info.exitCode == 128 + 15 || info.exitCode == 128 + 9;
    if (!stopSignalled || info.oomKilled) {
        m_stopSignal = 0;
        m_exitInfo = info;
        finishExit();
        return;
    }
    // dockerd stops every container when it stops; so does `docker stop`. Either logs a "kill" event
    // with the signal just before the container ends, which no kernel OOM kill does. The worker itself
    // only ever removes a container, after it decided to kill the run.
    const QDateTime end = info.finishedAt.isValid() ? info.finishedAt : QDateTime::currentDateTimeUtc();
    const double untilSec
        = qMin(end.toMSecsSinceEpoch() / 1000.0 + 1, QDateTime::currentMSecsSinceEpoch() / 1000.0);
    auto stream = std::make_shared<QByteArray>();
    docker::DockerReply *events = m_docker->containerEvents(
        info.id, untilSec - StopEventWindowSec, untilSec, { QStringLiteral("kill") });
    connect(events, &docker::DockerReply::chunk, this,
        [stream](const QByteArray &data) { stream->append(data); });
    connect(
        events, &docker::DockerReply::finished, this, [this, stream, info](const docker::DockerResult &r) {
            m_stopSignal = 0;
            noteError(r.error);
            if (!r.error) {
                for (const QJsonObject &event : docker::DockerClient::parseEvents(*stream)) {
                    const QJsonObject attributes = event.value(QLatin1String("Actor"))
                                                       .toObject()
                                                       .value(QLatin1String("Attributes"))
                                                       .toObject();
                    m_stopSignal = attributes.value(QLatin1String("signal")).toString().toInt();
                    if (m_stopSignal != 0) {
                        break; // the first: SIGTERM, then SIGKILL when the container ignored it
                    }
                }
            }
            m_exitInfo = info;
            finishExit();
        });
}

void ContainerWatch::readStderr()
{
    auto text = std::make_shared<QByteArray>();
    docker::ContainerLogs::Options options;
    options.stdoutStream = false;
    docker::ContainerLogs *logs = m_docker->logs(m_container, options);
    connect(
        logs, &docker::ContainerLogs::output, this, [text](docker::LogStreamType, const QByteArray &data) {
            if (text->size() < MaxContainerStderr) {
                text->append(data.left(MaxContainerStderr - text->size()));
            }
        });
    connect(logs, &docker::ContainerLogs::finished, this, [this, text](const docker::DockerError &) {
        // Untrimmed, as upstream's worker takes it: a limit's message joins after its last newline.
        m_exitStderr = QString::fromUtf8(*text);
        finishExit();
    });
}

QString ContainerWatch::dockerStopMessage(const docker::ContainerInfo &info) const
{
    // Ended by SIGTERM or SIGKILL, as a stop by Docker ends a container, and not by the kernel's OOM killer.
    const bool stopSignalled = info.exitCode == 128 + 15 || info.exitCode == 128 + 9;
    if (!stopSignalled || info.oomKilled || (m_stopSignal == 0 && !m_lostDocker)) {
        return {};
    }
    if (m_lostDocker) {
        return QStringLiteral("The Docker daemon stopped or restarted while the run was running, and its "
                              "container was stopped (exit code %1)")
            .arg(info.exitCode);
    }
    return QStringLiteral("Docker stopped the container while the run was running (exit code %1): the Docker "
                          "daemon stopped or restarted, or someone ran docker stop or docker kill on it")
        .arg(info.exitCode);
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
