// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/worker.h"

#include "docker/dockerclient.h"
#include "server/apijob.h"
#include "server/serverconnection.h"
#include "server/workerapi.h"
#include "system/machineprobe.h"
#include "util/bundleuuid.h"
#include "util/logging.h"
#include "worker/checkinbody.h"
#include "worker/checkinloop.h"
#include "worker/dependencycache.h"
#include "worker/dockerhealth.h"
#include "worker/imagecache.h"
#include "worker/resourcemonitor.h"
#include "worker/run.h"
#include "worker/runintake.h"
#include "worker/runreadservice.h"
#include "worker/savescheduler.h"
#include "worker/workernetworks.h"
#include "worker/workersnapshot.h"
#include "worker/workerstatus.h"

#include <QDir>

namespace codalab::worker {

Worker::Worker(
    WorkerConfig config, server::ServerConnection *connection, docker::DockerClient *docker, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_connection(connection)
    , m_docker(docker)
    , m_api(new server::WorkerApi(connection, m_config.id, this))
    , m_allocator(m_config.cpuset, m_config.gpuUuids, m_config.slotCount)
    , m_stateFile(m_config.stateFile())
    , m_saves(new SaveScheduler([this] { saveState(); }, this))
{
    const QString work = m_config.workDir;
    m_dependencies = new DependencyCache(
        work + QStringLiteral("/dependencies"), work + QStringLiteral("/dependencies-state.json"),
        [this](const DependencyKey &key, const QString &target) {
            return m_api->downloadDependency(key.parentUuid, key.parentPath, target);
        },
        this);
    m_dependencies->setMaxBytes(m_config.maxWorkDirSizeBytes);
    m_dependencies->setMaxAttempts(m_config.downloadMaxRetries);
    m_images = new ImageCache(docker, work + QStringLiteral("/images-state.json"), this);
    m_images->setMaxBytes(m_config.maxImageCacheSizeBytes);
    m_images->setRefreshIntervalSec(m_config.imageRefreshSec);
    m_reads = new RunReadService(m_api, work + QStringLiteral("/tmp"), this);
    m_probe = new system::MachineProbe(work, QStringLiteral("nvidia-smi"), this);
    m_dockerHealth = new DockerHealth(m_docker, this);
    connect(m_probe, &system::MachineProbe::finished, this, [this](const system::MachineSpecs &specs) {
        m_machine = specs;
        notifyStatus();
    });
    m_resources = new ResourceMonitor(this);
    // Runs waiting on a download or a pull move on as soon as it changes.
    const auto advancePreparing = [this] {
        for (Run *r : std::as_const(m_runs)) {
            if (r->stage() == RunStage::Preparing) {
                r->advance();
            }
        }
        notifyStatus();
    };
    connect(m_dependencies, &DependencyCache::changed, this, advancePreparing);
    connect(m_images, &ImageCache::changed, this, advancePreparing);
    m_intake = new RunIntake(m_api, m_config.hostname, this);
    connect(m_intake, &RunIntake::confirmed, this, [this](const RunRecord &record) {
        ++m_runsStarted;
        m_idleSince.restart();
        addRun(record);
        scheduleSave();
        requestCheckin();
    });
    connect(m_intake, &RunIntake::declined, this, [](const QString &uuid, const QString &why) {
        qCInfo(lcWorker).noquote() << "the server did not confirm" << uuid << ":" << why;
    });
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &Worker::tick);
    m_checkins = new CheckinLoop(
        m_api, [this] { return checkinBody(); }, this);
    connect(m_checkins, &CheckinLoop::answered, this, &Worker::onAnswer);
    connect(m_checkins, &CheckinLoop::wakeWanted, this, &Worker::wantsCheckin);
    connect(m_checkins, &CheckinLoop::failed, this, [this](const QString &error) {
        qCWarning(lcWorker).noquote() << "Disconnected from server! Failed check in:" << error;
        notifyStatus();
    });
    m_probeTimer.setInterval(10000);
    connect(&m_probeTimer, &QTimer::timeout, m_probe, &system::MachineProbe::start);
    connect(&m_probeTimer, &QTimer::timeout, m_dockerHealth, &DockerHealth::check);
    connect(m_dockerHealth, &DockerHealth::changed, this, &Worker::notifyStatus);
}

Worker::~Worker()
{
    if (m_running) {
        saveState();
    }
}

QString Worker::availabilityName(Availability availability)
{
    static const char *const names[]
        = { "available", "paused", "snoozed", "draining", "drained", "stopping" };
    return QLatin1String(names[int(availability)]);
}

bool Worker::isConnected() const
{
    return m_checkins->isConnected();
}

const QDateTime &Worker::lastCheckin() const
{
    return m_checkins->lastCheckin();
}

const QString &Worker::lastServerError() const
{
    return m_checkins->lastError();
}

QString Worker::dockerEndpoint() const
{
    return m_docker->endpoint().describe();
}

void Worker::start()
{
    if (!QDir().mkpath(m_config.runsDir()) || !QDir().mkpath(m_config.workDir + QStringLiteral("/tmp"))) {
        Q_EMIT failed(QStringLiteral("cannot create the work directory %1").arg(m_config.workDir));
        return;
    }
    QFile::setPermissions(m_config.workDir,
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::WriteGroup
            | QFile::ExeGroup);
    docker::DockerReply *ping = m_docker->ping();
    connect(ping, &docker::DockerReply::finished, this, [this](const docker::DockerResult &r) {
        if (r.error) {
            Q_EMIT failed(
                QStringLiteral("Docker is not usable at %1: %2").arg(dockerEndpoint(), r.error.message));
            return;
        }
        if (m_config.runsWithoutNetwork) {
            loadState();
            return;
        }
        WorkerNetworks::ensure(m_docker, m_config.networkPrefix, this, [this](const QString &error) {
            if (error.isEmpty()) {
                loadState();
            } else {
                Q_EMIT failed(error);
            }
        });
    });
}

void Worker::loadState()
{
    QString warning;
    QString cacheError;
    if (!m_dependencies->load(&cacheError) || !m_images->load(&cacheError)) {
        qCWarning(lcWorker) << "cache state:" << cacheError;
    }
    const QJsonObject state = m_stateFile.load(&warning);
    if (!warning.isEmpty()) {
        qCWarning(lcWorker).noquote() << warning;
    }
    QStringList dropped;
    const WorkerSnapshot snapshot = WorkerSnapshot::fromJson(state, &dropped);
    for (const QString &why : std::as_const(dropped)) {
        qCWarning(lcWorker).noquote() << "the state file lists a run the worker drops:" << why;
    }
    m_runsStarted = snapshot.runsStarted;
    for (auto a :
        { Availability::Paused, Availability::Snoozed, Availability::Draining, Availability::Drained }) {
        if (snapshot.availability == availabilityName(a)) {
            m_availability = a;
        }
    }
    m_snoozeUntil = snapshot.snoozeUntil;
    m_allocator.setSlotCount(snapshot.slotCount.value_or(m_config.slotCount));
    for (const QString &g : snapshot.disabledGpus) {
        m_allocator.setGpuEnabled(g, false);
    }
    for (RunRecord record : snapshot.runs) {
        if (record.allocation && !m_allocator.restore(record.uuid, *record.allocation)) {
            record.allocation.reset(); // PREPARING takes a new one; a running container keeps its cpuset
        }
        qCInfo(lcWorker).noquote() << "resuming run" << util::BundleUuid::shortForm(record.uuid) << "in"
                                   << runStageWords(record.stage);
        addRun(record);
    }
    m_running = true;
    m_idleSince.start();
    m_tick.start();
    m_probe->start();
    m_probeTimer.start();
    saveState();
    qCInfo(lcWorker).noquote() << "Worker started!" << m_config.id << "serving"
                               << m_connection->serverUrl().toString();
    Q_EMIT started();
    m_checkins->start();
}

void Worker::addRun(const RunRecord &record)
{
    auto *run = new Run(
        record, { m_docker, m_dependencies, m_images, &m_allocator, m_connection, &m_config }, this);
    m_runs.insert(record.uuid, run);
    connect(run, &Run::changed, this, [this, run](bool reportNow) {
        if (run->stage() == RunStage::Finished && m_runs.value(run->uuid()) == run) {
            m_runs.remove(run->uuid()); // finalized: forgotten, and never reported again (§3.3)
            Q_EMIT runEnded(run); // its last stages may pass between two coalesced statuses
            run->deleteLater();
        }
        scheduleSave(reportNow); // a stage reached is written at once, progress within a second
        notifyStatus();
        if (reportNow) {
            m_checkins->report(run->uuid(), run->record().serverState());
            maybeExit();
        }
    });
    Q_EMIT runAdded(run);
    run->advance();
}

void Worker::requestCheckin()
{
    m_checkins->request(); // and wantsCheckin(), through its wakeWanted()
}

void Worker::scheduleSave(bool urgent)
{
    m_saves->request(urgent);
}

void Worker::saveState()
{
    m_saves->written();
    WorkerSnapshot snapshot;
    snapshot.workerId = m_config.id;
    for (Run *r : std::as_const(m_runs)) {
        snapshot.runs << r->record();
    }
    for (const QString &g : std::as_const(m_config.gpuUuids)) {
        if (!m_allocator.isGpuEnabled(g)) {
            snapshot.disabledGpus << g;
        }
    }
    snapshot.runsStarted = m_runsStarted;
    snapshot.availability = availabilityName(m_availability);
    snapshot.snoozeUntil = m_snoozeUntil;
    snapshot.slotCount = m_allocator.slotCount();
    const QJsonObject state = snapshot.toJson();
    QString error;
    if (!m_stateFile.save(state, &error)) {
        qCCritical(lcWorker).noquote() << "cannot write the state file" << m_stateFile.path() << ":" << error;
    }
}

int Worker::runsToOffer() const
{
    if (m_availability != Availability::Available) {
        return 0;
    }
    const int left = m_config.exitAfterNumRuns - m_runsStarted - m_intake->pending();
    return qMax(0, m_allocator.runsToOffer(left) - m_intake->pending());
}

QJsonObject Worker::checkinBody() const
{
    return CheckinBody::build(*this);
}

void Worker::onAnswer(const QJsonArray &messages, const QStringList &staged, bool lastWord)
{
    notifyStatus(); // server.connected and last_checkin changed: the window shows the check-in's age
    m_terminatingSent = m_terminatingSent || lastWord;
    // Runs given back were reported `staged` in this check-in; the server has them now.
    for (const QString &uuid : staged) {
        Run *r = m_runs.value(uuid);
        if (r && r->stage() == RunStage::Restaged) {
            m_runs.remove(uuid);
            r->deleteLater();
        }
    }
    for (const QJsonValue &m : messages) {
        handleMessage(m.toObject()); // every message, even after an unknown uuid (§8)
    }
    if (!staged.isEmpty() || !messages.isEmpty()) {
        scheduleSave(); // an empty answer changed nothing to write
    }
    notifyStatus();
    maybeExit();
}

void Worker::handleMessage(const QJsonObject &message)
{
    const QString type = message.value(QLatin1String("type")).toString();
    if (type == QLatin1String("run")) {
        acceptRun(message);
        return;
    }
    const QString uuid = message.value(QLatin1String("uuid")).toString();
    Run *run = m_runs.value(uuid);
    const bool hasDir = run && (run->stage() == RunStage::Running || run->stage() == RunStage::Preparing);
    if (type == QLatin1String("read")) {
        if (hasDir) {
            m_reads->handleRead(message, run->runDir(), run->hiddenNames());
        } else {
            m_reads->replyNotRunning(message);
        }
    } else if (type == QLatin1String("netcat")) {
        m_api->reply(message.value(QLatin1String("socket_id")).toInt(),
            { { QStringLiteral("error_code"), 500 },
                { QStringLiteral("error_message"),
                    run ? QStringLiteral("netcat is not supported by this worker")
                        : QStringLiteral("Bundle no longer running") } });
    } else if (!run) {
        qCInfo(lcWorker).noquote() << "ignoring" << type << "for" << uuid << ": not a run of this worker";
    } else if (type == QLatin1String("kill")) {
        run->kill(message.value(QLatin1String("kill_message")).toString());
    } else if (type == QLatin1String("mark_finalized")) {
        run->markFinalized();
    } else if (type == QLatin1String("write") && hasDir) {
        m_reads->handleWrite(message, run->runDir(), run->hiddenNames()); // off the loop; refusals logged
    } else {
        qCWarning(lcWorker).noquote() << "ignoring an unknown message type" << type;
    }
}

void Worker::acceptRun(const QJsonObject &message)
{
    const QString uuid
        = message.value(QLatin1String("bundle")).toObject().value(QLatin1String("uuid")).toString();
    if (m_runs.contains(uuid) || m_intake->isPending(uuid)) {
        return;
    }
    if (m_runsStarted + m_intake->pending() >= m_config.exitAfterNumRuns
        || m_availability == Availability::Stopping) {
        qCInfo(lcWorker).noquote() << "not starting" << uuid << ": the worker takes no more runs";
        return;
    }
    QString id;
    QString why;
    if (!m_intake->offer(message, &id, &why)) {
        qCWarning(lcWorker).noquote() << "ignoring a run message:" << why;
    }
}

void Worker::tick()
{
    if (m_availability == Availability::Snoozed && QDateTime::currentDateTimeUtc() >= m_snoozeUntil) {
        resume();
    }
    for (Run *r : std::as_const(m_runs)) {
        r->advance();
    }
    if (!m_runs.isEmpty()) {
        m_idleSince.restart();
    }
    maybeExit();
}

void Worker::maybeExit()
{
    if (!m_running) {
        return;
    }
    bool busy = m_intake->pending() > 0;
    for (Run *r : std::as_const(m_runs)) {
        busy = busy || r->stage() != RunStage::Restaged;
    }
    if (m_availability == Availability::Draining && !busy) {
        m_availability = Availability::Drained;
        qCInfo(lcWorker) << "drained: no runs left, taking no new ones";
        scheduleSave();
        notifyStatus();
    }
    int exitCode = -1;
    if (m_availability == Availability::Stopping && m_giveBack && !busy && m_runs.isEmpty()
        && m_terminatingSent) {
        exitCode = 0;
    } else if (m_availability == Availability::Stopping && !m_giveBack) {
        exitCode = 0;
    } else if (m_runsStarted >= m_config.exitAfterNumRuns && m_runs.isEmpty() && (m_intake->pending() == 0)) {
        qCInfo(lcWorker) << "started" << m_runsStarted << "runs as asked (--exit-after-num-runs); exiting";
        exitCode = 0;
    } else if (m_config.exitWhenIdle && m_checkins->lastCheckin().isValid() && m_runs.isEmpty()
        && (m_intake->pending() == 0) && m_idleSince.elapsed() > qint64(m_config.idleSeconds) * 1000) {
        qCInfo(lcWorker) << "idle for" << m_config.idleSeconds << "s (--exit-when-idle); exiting";
        exitCode = 0;
    }
    if (exitCode >= 0) {
        saveState();
        m_running = false;
        m_tick.stop();
        m_checkins->stop();
        Q_EMIT finished(exitCode);
    }
}

void Worker::notifyStatus()
{
    if (!m_statusQueued) {
        m_statusQueued = true;
        QTimer::singleShot(100, this, [this] {
            m_statusQueued = false;
            Q_EMIT statusChanged();
        });
    }
}

QJsonObject Worker::status() const
{
    return WorkerStatus::build(*this);
}

void Worker::setAvailability(Availability availability, QDateTime snoozeUntil)
{
    m_availability = availability;
    m_snoozeUntil = std::move(snoozeUntil);
    userChanged();
    maybeExit();
}

void Worker::userChanged()
{
    scheduleSave();
    notifyStatus();
    requestCheckin(); // the server hears of it now, not after the poll in flight
}

void Worker::pause()
{
    setAvailability(Availability::Paused);
}

void Worker::resume()
{
    setAvailability(Availability::Available);
}

void Worker::snooze(int seconds)
{
    setAvailability(Availability::Snoozed, QDateTime::currentDateTimeUtc().addSecs(qMax(1, seconds)));
}

void Worker::drain()
{
    setAvailability(Availability::Draining);
}

void Worker::stop(bool giveBack)
{
    qCInfo(lcWorker) << "stopping"
                     << (giveBack ? "and giving unfinished runs back" : "; runs keep going for a restart");
    m_giveBack = giveBack;
    m_availability = Availability::Stopping;
    if (giveBack) {
        for (Run *r : std::as_const(m_runs)) {
            r->restage();
        }
    }
    notifyStatus();
    maybeExit();
}

void Worker::setSlots(int count)
{
    m_allocator.setSlotCount(count);
    userChanged();
}

bool Worker::setGpuEnabled(const QString &uuid, bool enabled)
{
    if (!m_config.gpuUuids.contains(uuid)) {
        return false;
    }
    m_allocator.setGpuEnabled(uuid, enabled);
    userChanged();
    return true;
}

bool Worker::killRun(const QString &uuid, const QString &message)
{
    Run *r = m_runs.value(uuid);
    if (r) {
        r->kill(message); // an empty message is upstream's "Kill requested"
    }
    return r != nullptr;
}

} // namespace codalab::worker
