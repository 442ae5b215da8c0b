// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/run.h"

#include "docker/containerinfo.h"
#include "docker/containerstats.h"
#include "docker/dockerclient.h"
#include "util/bytesize.h"
#include "util/logging.h"
#include "worker/containerwatch.h"
#include "worker/dependencycache.h"
#include "worker/imagecache.h"
#include "worker/resourceallocator.h"
#include "worker/resultuploader.h"
#include "worker/rundirectory.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QThreadPool>

#include <unistd.h>

namespace codalab::worker {

namespace {

double nowSec()
{
    return QDateTime::currentMSecsSinceEpoch() / 1000.0;
}

} // namespace

Run::Run(RunRecord record, RunServices services, QObject *parent)
    : QObject(parent)
    , m_record(std::move(record))
    , m_services(services)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Run::advance);
    if (m_record.stageTimes.isEmpty()) {
        m_record.enterStage(m_record.stage, nowSec());
    }
}

Run::~Run() = default;

QString Run::runDir() const
{
    if (m_services.config->sharedFileSystem && !m_record.location.isEmpty()) {
        return m_record.location;
    }
    return m_services.config->runsDir() + QLatin1Char('/') + m_record.uuid;
}

QStringList Run::hiddenNames() const
{
    return RunDirectory::hiddenNames(m_record.dependencyLinks);
}

void Run::touch(bool reportNow)
{
    Q_EMIT changed(reportNow);
}

void Run::setStatus(const QString &status)
{
    if (m_record.runStatus != status) {
        m_record.runStatus = status;
        touch(false);
    }
}

void Run::setStage(RunStage stage)
{
    qCInfo(lcWorkerRun).noquote() << runStageChange(m_record.uuid, m_record.stage, stage);
    m_record.enterStage(stage, nowSec());
    if (stage == RunStage::Finalizing) {
        if (m_record.killed) {
            m_record.addFailure(m_record.killMessage);
        }
        m_record.runStatus = QStringLiteral("Finalizing bundle.");
    } else if (stage == RunStage::Finished) {
        m_record.runStatus = QStringLiteral("Finished");
    }
    touch(true);
}

void Run::scheduleAdvance()
{
    if (!m_advanceQueued) {
        m_advanceQueued = true;
        QTimer::singleShot(0, this, [this] {
            m_advanceQueued = false;
            advance();
        });
    }
}

void Run::fail(const QString &message)
{
    qCInfo(lcWorkerRun).noquote() << logName() << "fails:" << message;
    m_record.addFailure(message);
    setStage(RunStage::CleaningUp);
    scheduleAdvance();
}

void Run::kill(const QString &message)
{
    if (m_record.stage != RunStage::Preparing && m_record.stage != RunStage::Running) {
        return;
    }
    if (!m_record.killed) {
        m_record.killed = true;
        m_record.killMessage = message.isEmpty() ? QStringLiteral("Kill requested") : message;
        touch(true);
    }
    scheduleAdvance();
}

void Run::restage()
{
    if (m_record.stage != RunStage::Preparing && m_record.stage != RunStage::Running) {
        return;
    }
    m_record.restage = true;
    touch(true);
    scheduleAdvance();
}

void Run::markFinalized()
{
    if (m_record.stage == RunStage::Finalizing && !m_record.finalized) {
        m_record.finalized = true;
        touch(false);
        scheduleAdvance();
    }
}

void Run::advance()
{
    if (m_busy) {
        return;
    }
    switch (m_record.stage) {
    case RunStage::Preparing:
        prepare();
        break;
    case RunStage::Running:
        monitor();
        break;
    case RunStage::CleaningUp:
        cleanUp();
        break;
    case RunStage::UploadingResults:
        upload();
        break;
    case RunStage::Finalizing:
        finalize();
        break;
    case RunStage::Finished:
    case RunStage::Restaged:
        break;
    }
}

// --- PREPARING ----------------------------------------------------------------------------------------

void Run::prepare()
{
    if (m_record.killed || m_record.restage) {
        setStage(RunStage::CleaningUp);
        scheduleAdvance();
        return;
    }
    if (!m_record.allocation) {
        QString why;
        const auto allocation = m_services.allocator->allocate(
            m_record.uuid, m_record.resources.cpus, m_record.resources.gpus, &why);
        if (!allocation) {
            setStatus(QStringLiteral("Unexpectedly unable to assign enough resources to bundle %1: %2")
                          .arg(m_record.uuid, why));
            return;
        }
        m_record.allocation = allocation;
        touch(false);
    }
    QStringList waiting;
    if (!m_services.config->sharedFileSystem) {
        for (const RunDependency &d : std::as_const(m_record.dependencies)) {
            const DependencyCache::Entry e
                = m_services.dependencies->acquire(m_record.uuid, { d.parentUuid, d.parentPath });
            if (e.stage == DependencyCache::Stage::Failed) {
                fail(QStringLiteral("Failed to download dependency %1: %2").arg(d.childPath, e.message));
                return;
            }
            if (e.stage == DependencyCache::Stage::Downloading) {
                waiting << QStringLiteral("Downloading dependency %1: %2 done (archived size)")
                               .arg(d.childPath, util::ByteSize::format(e.bytesDownloaded));
            }
        }
    }
    const ImageCache::Entry image = m_services.images->acquire(m_record.uuid, m_record.resources.dockerImage);
    if (image.stage == ImageCache::Stage::Failed) {
        fail(QStringLiteral("Failed to download Docker image: %1").arg(image.message));
        return;
    }
    if (image.stage == ImageCache::Stage::Pulling) {
        waiting << QStringLiteral("Pulling docker image %1. %2").arg(image.image, image.progress).trimmed();
    }
    if (!waiting.isEmpty()) {
        QString status = waiting.first();
        if (waiting.size() > 1) {
            status += QStringLiteral(" (and downloading %1 other dependencies and docker images)")
                          .arg(waiting.size() - 1);
        }
        setStatus(status);
        return;
    }
    m_record.dockerImageDigest = image.digest;
    QList<DependencyMount> mounts;
    QString error;
    if (!prepareRunDirectory(&mounts, &error)) {
        fail(error);
        return;
    }
    startContainer(mounts);
}

bool Run::prepareRunDirectory(QList<DependencyMount> *mounts, QString *error)
{
    const auto hostPathOf = [this](const RunDependency &d) -> QString {
        if (m_services.config->sharedFileSystem) {
            return d.parentPath.isEmpty() ? d.location : d.location + QLatin1Char('/') + d.parentPath;
        }
        const auto e = m_services.dependencies->entry({ d.parentUuid, d.parentPath });
        return e ? e->path : QString();
    };
    // A root worker must not hand root to the run: the run directory goes to an unprivileged user.
    std::optional<std::pair<int, int>> owner;
    if (::geteuid() == 0) {
        owner = std::pair(m_services.config->runAsUid, m_services.config->runAsGid);
    }
    if (!RunDirectory::prepare(
            runDir(), m_record, hostPathOf, owner, mounts, &m_record.dependencyLinks, error)) {
        return false;
    }
    touch(false);
    return true;
}

void Run::startContainer(const QList<DependencyMount> &mounts)
{
    const QFileInfo dirInfo(runDir());
    RunContainer::Inputs inputs { runDir(), mounts,
        QStringLiteral("%1:%2").arg(dirInfo.ownerId()).arg(dirInfo.groupId()) };
    const docker::ContainerSpec spec = RunContainer::spec(m_record, *m_services.config, inputs);
    m_busy = true;
    setStatus(QStringLiteral("Starting container."));
    createContainer(spec, false);
}

void Run::createContainer(const docker::ContainerSpec &spec, bool removedLeftover)
{
    docker::DockerReply *create = m_services.docker->createContainer(spec);
    connect(create, &docker::DockerReply::finished, this,
        [this, spec, removedLeftover](const docker::DockerResult &created) {
            if (created.error.kind == docker::DockerError::Kind::Conflict && !removedLeftover) {
                // A container of that name is left over from an earlier attempt (a crash between create
                // and start): removed only then, so a run does not pay a call for it every time. If the
                // removal fails, the second create says why.
                docker::DockerReply *remove = m_services.docker->removeContainer(spec.name, true);
                connect(remove, &docker::DockerReply::finished, this,
                    [this, spec](const docker::DockerResult &) { createContainer(spec, true); });
                return;
            }
            if (created.error) {
                m_busy = false;
                fail(QStringLiteral("Cannot start Docker container: %1").arg(created.error.message));
                return;
            }
            m_record.containerId = created.json.object().value(QLatin1String("Id")).toString();
            touch(false);
            docker::DockerReply *start = m_services.docker->startContainer(m_record.containerId);
            connect(start, &docker::DockerReply::finished, this,
                [this, spec](const docker::DockerResult &started) {
                    m_busy = false;
                    if (started.error) {
                        m_services.docker->removeContainer(spec.name, true);
                        fail(QStringLiteral("Cannot start Docker container: %1").arg(started.error.message));
                        return;
                    }
                    m_record.containerStartMs = QDateTime::currentMSecsSinceEpoch();
                    m_record.hasContents = true;
                    m_record.runStatus = QStringLiteral("Running job in container.");
                    setStage(RunStage::Running);
                    scheduleAdvance();
                });
        });
}

void Run::monitor()
{
    if (!m_watch) {
        watchContainer();
        return;
    }
    if (m_record.killed || m_record.restage) {
        m_busy = true;
        docker::DockerReply *remove
            = m_services.docker->removeContainer(RunContainer::containerName(m_record.uuid), true);
        connect(remove, &docker::DockerReply::finished, this, [this](const docker::DockerResult &r) {
            m_busy = false;
            if (r.error && r.error.kind != docker::DockerError::Kind::NotFound) {
                qCWarning(lcWorkerRun).noquote()
                    << logName() << "cannot remove its container:" << r.error.message;
                m_retryTimer.start(1000);
                return;
            }
            m_record.containerEndMs = QDateTime::currentMSecsSinceEpoch();
            stopMonitoring();
            setStage(RunStage::CleaningUp);
            scheduleAdvance();
        });
        return;
    }
    const QString limit = RunContainer::limitExceeded(m_record, QDateTime::currentMSecsSinceEpoch());
    if (!limit.isEmpty()) {
        kill(limit);
        return;
    }
    if (m_exited) {
        m_busy = true;
        m_watch->readExit();
    }
}

void Run::watchContainer()
{
    m_exited = false;
    m_watch = new ContainerWatch(m_services.docker, RunContainer::containerName(m_record.uuid), runDir(),
        m_services.config->statsIntervalMs, this);
    connect(m_watch, &ContainerWatch::missing, this, [this] {
        m_busy = false;
        m_record.addFailure(m_watch->lostDocker()
                ? QStringLiteral("Docker container not found after the Docker daemon stopped or restarted")
                : QStringLiteral("Docker container not found"));
        m_record.containerEndMs = QDateTime::currentMSecsSinceEpoch();
        stopMonitoring();
        setStage(RunStage::CleaningUp);
        scheduleAdvance();
    });
    connect(m_watch, &ContainerWatch::dockerLost, this, [this](const QString &message) {
        setStatus(
            QStringLiteral("Lost contact with Docker (%1); waiting for it to answer again.").arg(message));
    });
    connect(m_watch, &ContainerWatch::attached, this, [this](const docker::ContainerInfo &info) {
        m_record.containerId = info.id;
        if (info.running && m_watch->lostDocker()) {
            setStatus(QStringLiteral("Running job in container.")); // the daemon came back; so did we
        }
        if (m_record.containerStartMs <= 0 && info.startedAt.isValid()) {
            m_record.containerStartMs = info.startedAt.toMSecsSinceEpoch();
        }
        touch(false);
    });
    connect(m_watch, &ContainerWatch::sampled, this, [this](const docker::ContainerStats &s) {
        const auto sample = RunContainer::recordStats(m_record, s, QDateTime::currentMSecsSinceEpoch());
        touch(false);
        Q_EMIT sampled(sample);
        scheduleAdvance();
    });
    connect(m_watch, &ContainerWatch::diskMeasured, this, [this](qint64 bytes) {
        m_record.diskUtilization = bytes;
        touch(false);
        scheduleAdvance();
    });
    connect(m_watch, &ContainerWatch::exited, this, [this] {
        m_exited = true;
        scheduleAdvance();
    });
    connect(m_watch, &ContainerWatch::exitRead, this,
        [this](const docker::ContainerInfo &info, const QString &containerStderr) {
            m_busy = false;
            // Not the run's doing when Docker stopped it (dockerd going down stops every container).
            const QString stoppedByDocker = m_record.killed ? QString() : m_watch->dockerStopMessage(info);
            qCInfo(lcWorkerRun).noquote()
                << logName() << "container ended with" << info.exitCode << stoppedByDocker;
            RunContainer::recordEnd(m_record, info, stoppedByDocker, containerStderr);
            stopMonitoring();
            m_record.runStatus = QStringLiteral("Uploading results.");
            setStage(RunStage::CleaningUp);
            scheduleAdvance();
        });
    m_watch->start();
}

void Run::stopMonitoring()
{
    if (m_watch) {
        m_watch->stop();
        m_watch->disconnect(this);
        m_watch->deleteLater();
        m_watch = nullptr;
    }
}

// --- CLEANING_UP, UPLOADING_RESULTS, FINALIZING -----------------------------------------------------------

void Run::cleanUp()
{
    stopMonitoring();
    m_busy = true;
    docker::DockerReply *remove
        = m_services.docker->removeContainer(RunContainer::containerName(m_record.uuid), true);
    connect(remove, &docker::DockerReply::finished, this, [this](const docker::DockerResult &r) {
        m_busy = false;
        if (r.error && r.error.kind != docker::DockerError::Kind::NotFound) {
            qCWarning(lcWorkerRun).noquote()
                << logName() << "cannot remove its container:" << r.error.message;
            m_retryTimer.start(2000);
            return;
        }
        if (!m_services.config->sharedFileSystem) {
            m_services.dependencies->releaseRun(m_record.uuid);
        }
        m_services.images->release(m_record.uuid);
        RunDirectory::removeLinks(runDir(), m_record.dependencyLinks);
        m_record.dependencyLinks.clear();
        m_services.allocator->release(m_record.uuid);
        m_record.allocation.reset();
        if (m_record.restage) {
            setStage(RunStage::Restaged);
        } else if (m_record.hasContents && !m_services.config->sharedFileSystem) {
            m_record.runStatus = QStringLiteral("Uploading results.");
            setStage(RunStage::UploadingResults);
        } else {
            setStage(RunStage::Finalizing);
        }
        scheduleAdvance();
    });
}

void Run::upload()
{
    if (m_uploader) {
        return;
    }
    m_uploader = new ResultUploader(
        m_services.connection, m_record.uuid, runDir(), m_record.excludePatterns, m_record.store, this);
    connect(m_uploader, &ResultUploader::progress, this, [this](qint64 bytes) {
        m_record.uploadedBytes = bytes;
        setStatus(QStringLiteral("Uploading results: %1 uploaded (archived size).")
                      .arg(util::ByteSize::formatWithBytes(bytes)));
    });
    connect(
        m_uploader, &ResultUploader::attemptFailed, this, [this](const server::ApiError &error, int, int) {
            setStatus(QStringLiteral("Error while uploading: %1").arg(error.message));
        });
    connect(m_uploader, &ResultUploader::finished, this, [this](const server::ApiError &error) {
        if (error) {
            m_record.addFailure(QStringLiteral("Error while uploading: %1").arg(error.message));
        }
        m_uploader->deleteLater();
        m_uploader = nullptr;
        setStage(RunStage::Finalizing);
        scheduleAdvance();
    });
    m_uploader->start();
}

void Run::finalize()
{
    if (!m_record.finalized) {
        return;
    }
    if (m_services.config->sharedFileSystem) {
        setStage(RunStage::Finished); // the run dir is the bundle itself
        return;
    }
    m_busy = true;
    // A run dir can hold gigabytes; removing it must not stall the worker's loop.
    QPointer<Run> self(this);
    QThreadPool::globalInstance()->start([self, dir = runDir()] {
        QDir(dir).removeRecursively();
        QMetaObject::invokeMethod(qApp, [self] {
            if (self) {
                self->m_busy = false;
                self->setStage(RunStage::Finished);
            }
        });
    });
}

} // namespace codalab::worker
