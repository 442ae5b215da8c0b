// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/worker.h"

#include "docker/dockerclient.h"
#include "server/apijob.h"
#include "server/serverconnection.h"
#include "server/workerapi.h"
#include "system/machineprobe.h"
#include "util/logging.h"
#include "worker/dependencycache.h"
#include "worker/imagecache.h"
#include "worker/run.h"
#include "worker/runfilereader.h"
#include "worker/runreadservice.h"
#include "worker/workerstatus.h"

#include <QDir>
#include <QJsonDocument>
#include <QStorageInfo>

namespace codalab::worker {

namespace {
/// After two failed check-ins in a row, wait this long before the next (upstream CHECKIN_COOLDOWN).
constexpr int CheckinCooldownMs = 5000;
/// A server that answers an idle check-in at once is not long-polling; do not spin against it.
constexpr int MinIdleCheckinMs = 1000;
} // namespace

Worker::Worker(
    WorkerConfig config, server::ServerConnection *connection, docker::DockerClient *docker, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_connection(connection)
    , m_docker(docker)
    , m_api(new server::WorkerApi(connection, m_config.id, this))
    , m_allocator(m_config.cpuset, m_config.gpuUuids, m_config.slotCount)
    , m_stateFile(m_config.stateFile())
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
    connect(m_probe, &system::MachineProbe::finished, this, [this](const system::MachineSpecs &specs) {
        m_machine = specs;
        notifyStatus();
    });
    // Runs waiting on a download or a pull move on as soon as it changes.
    connect(m_dependencies, &DependencyCache::changed, this, [this] {
        for (Run *r : std::as_const(m_runs)) {
            if (r->stage() == RunStage::Preparing) {
                r->advance();
            }
        }
        notifyStatus();
    });
    connect(m_images, &ImageCache::changed, this, [this] {
        for (Run *r : std::as_const(m_runs)) {
            if (r->stage() == RunStage::Preparing) {
                r->advance();
            }
        }
        notifyStatus();
    });
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &Worker::tick);
    m_checkinTimer.setSingleShot(true);
    connect(&m_checkinTimer, &QTimer::timeout, this, &Worker::checkin);
    m_probeTimer.setInterval(10000);
    connect(&m_probeTimer, &QTimer::timeout, m_probe, &system::MachineProbe::start);
}

Worker::~Worker()
{
    if (m_running) {
        saveState();
    }
}

QString Worker::availabilityName(Availability availability)
{
    switch (availability) {
    case Availability::Available:
        return QStringLiteral("available");
    case Availability::Paused:
        return QStringLiteral("paused");
    case Availability::Snoozed:
        return QStringLiteral("snoozed");
    case Availability::Draining:
        return QStringLiteral("draining");
    case Availability::Drained:
        return QStringLiteral("drained");
    case Availability::Stopping:
        return QStringLiteral("stopping");
    }
    return {};
}

QList<Run *> Worker::runs() const
{
    return m_runs.values();
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
        ensureNetworks(0);
    });
}

void Worker::ensureNetworks(int index)
{
    const QStringList names { m_config.extNetwork(), m_config.intNetwork(), m_config.generalNetwork() };
    if (m_config.runsWithoutNetwork || index >= names.size()) {
        loadState();
        return;
    }
    const QString name = names.at(index);
    docker::DockerReply *inspect = m_docker->inspectNetwork(name);
    connect(
        inspect, &docker::DockerReply::finished, this, [this, name, index](const docker::DockerResult &r) {
            if (r.ok()) {
                ensureNetworks(index + 1);
                return;
            }
            // _ext reaches outside; _int and _general are internal (§4.2 step 7).
            docker::DockerReply *create = m_docker->createNetwork(
                name, index != 0, { { QStringLiteral("org.codalab.worker-network"), QStringLiteral("1") } });
            connect(create, &docker::DockerReply::finished, this,
                [this, name, index](const docker::DockerResult &c) {
                    if (c.error && c.error.kind != docker::DockerError::Kind::Conflict) {
                        Q_EMIT failed(QStringLiteral("cannot create the Docker network %1: %2")
                                          .arg(name, c.error.message));
                        return;
                    }
                    ensureNetworks(index + 1);
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
    m_runsStarted = state.value(QLatin1String("runs_started")).toInt();
    const QString availability = state.value(QLatin1String("availability")).toString();
    for (auto a :
        { Availability::Paused, Availability::Snoozed, Availability::Draining, Availability::Drained }) {
        if (availability == availabilityName(a)) {
            m_availability = a;
        }
    }
    m_snoozeUntil
        = QDateTime::fromSecsSinceEpoch(qint64(state.value(QLatin1String("snooze_until")).toDouble()));
    if (state.contains(QLatin1String("slots"))) {
        m_allocator.setSlotCount(state.value(QLatin1String("slots")).toInt(m_config.slotCount));
    }
    for (const QJsonValue &g : state.value(QLatin1String("disabled_gpus")).toArray()) {
        m_allocator.setGpuEnabled(g.toString(), false);
    }
    for (const QJsonValue &v : state.value(QLatin1String("runs")).toArray()) {
        QString error;
        auto record = RunRecord::fromJson(v.toObject(), &error);
        if (!record) {
            qCWarning(lcWorker).noquote() << "the state file lists a run the worker drops:" << error;
            continue;
        }
        if (record->allocation && !m_allocator.restore(record->uuid, *record->allocation)) {
            record->allocation.reset(); // PREPARING takes a new one; a running container keeps its cpuset
        }
        qCInfo(lcWorker).noquote() << "resuming run" << record->uuid << "in" << runStageName(record->stage);
        addRun(*record);
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
    checkin();
}

void Worker::addRun(const RunRecord &record)
{
    auto *run = new Run(
        record, { m_docker, m_dependencies, m_images, &m_allocator, m_connection, &m_config }, this);
    m_runs.insert(record.uuid, run);
    connect(run, &Run::changed, this, [this, run](bool reportNow) {
        if (run->stage() == RunStage::Finished && m_runs.value(run->uuid()) == run) {
            m_runs.remove(run->uuid()); // finalized: forgotten, and never reported again (§3.3)
            run->deleteLater();
        }
        scheduleSave();
        notifyStatus();
        if (reportNow) {
            Q_EMIT wantsCheckin();
            maybeExit();
        }
    });
    run->advance();
}

void Worker::scheduleSave()
{
    if (!m_saveQueued) {
        m_saveQueued = true;
        QTimer::singleShot(0, this, [this] {
            m_saveQueued = false;
            saveState();
        });
    }
}

void Worker::saveState()
{
    QJsonArray runs;
    for (Run *r : std::as_const(m_runs)) {
        runs.append(r->record().toJson());
    }
    QJsonArray disabled;
    for (const QString &g : std::as_const(m_config.gpuUuids)) {
        if (!m_allocator.isGpuEnabled(g)) {
            disabled.append(g);
        }
    }
    const QJsonObject state { { QStringLiteral("version"), 1 }, { QStringLiteral("worker_id"), m_config.id },
        { QStringLiteral("runs"), runs }, { QStringLiteral("runs_started"), m_runsStarted },
        { QStringLiteral("availability"), availabilityName(m_availability) },
        { QStringLiteral("snooze_until"),
            double(m_snoozeUntil.isValid() ? m_snoozeUntil.toSecsSinceEpoch() : 0) },
        { QStringLiteral("slots"), m_allocator.slotCount() }, { QStringLiteral("disabled_gpus"), disabled } };
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
    const int left = m_config.exitAfterNumRuns - m_runsStarted - int(m_starting.size());
    return qMax(0, m_allocator.runsToOffer(left) - int(m_starting.size()));
}

QJsonObject Worker::checkinBody() const
{
    QJsonArray reports;
    const double now = QDateTime::currentMSecsSinceEpoch() / 1000.0;
    for (Run *r : std::as_const(m_runs)) {
        const RunRecord &rec = r->record();
        // A run is not reported once mark_finalized arrived (§3.3): the server would reopen it.
        if (rec.stage == RunStage::Finished || (rec.stage == RunStage::Finalizing && rec.finalized)) {
            continue;
        }
        reports.append(rec.report(m_config.id, now));
    }
    const QStorageInfo disk(m_config.workDir);
    return { { QStringLiteral("tag"), m_config.tag.isEmpty() ? QJsonValue() : QJsonValue(m_config.tag) },
        { QStringLiteral("group_name"),
            m_config.groupName.isEmpty() ? QJsonValue() : QJsonValue(m_config.groupName) },
        { QStringLiteral("cpus"), m_allocator.advertisedCpus() },
        { QStringLiteral("gpus"), m_allocator.advertisedGpus() },
        { QStringLiteral("memory_bytes"), double(m_config.memoryBytes) },
        { QStringLiteral("free_disk_bytes"), double(qMax<qint64>(0, disk.bytesAvailable())) },
        { QStringLiteral("dependencies"),
            m_config.sharedFileSystem ? QJsonArray() : m_dependencies->checkinDependencies() },
        { QStringLiteral("hostname"), m_config.hostname }, { QStringLiteral("runs"), reports },
        { QStringLiteral("shared_file_system"), m_config.sharedFileSystem },
        { QStringLiteral("tag_exclusive"), m_config.tagExclusive && !m_config.tag.isEmpty() },
        { QStringLiteral("exit_after_num_runs"), runsToOffer() },
        { QStringLiteral("is_terminating"), m_availability == Availability::Stopping },
        { QStringLiteral("preemptible"), m_config.preemptible } };
}

void Worker::checkin()
{
    if (m_checkinInFlight || !m_running) {
        return; // never two in flight (§3.0)
    }
    m_checkinInFlight = true;
    const QJsonObject body = checkinBody();
    QStringList reported;
    for (const QJsonValue &r : body.value(QLatin1String("runs")).toArray()) {
        reported << r.toObject().value(QLatin1String("uuid")).toString();
    }
    QElapsedTimer elapsed;
    elapsed.start();
    server::ApiJob *job = m_api->checkin(body);
    connect(job, &server::ApiJob::finished, this, [this, elapsed, reported](const server::ApiResult &result) {
        onCheckin(result, elapsed.elapsed(), reported);
    });
}

void Worker::onCheckin(const server::ApiResult &result, qint64 elapsedMs, const QStringList &reported)
{
    m_checkinInFlight = false;
    if (!result.ok()) {
        ++m_failedCheckins;
        m_connected = false;
        m_lastServerError = result.error.message;
        qCWarning(lcWorker).noquote() << "Disconnected from server! Failed check in:" << result.error.message;
        notifyStatus();
        m_checkinTimer.start(m_failedCheckins > 1 ? CheckinCooldownMs : 0);
        return;
    }
    m_failedCheckins = 0;
    m_connected = true;
    m_everCheckedIn = true;
    m_lastServerError.clear();
    m_lastCheckin = QDateTime::currentDateTimeUtc();
    // Runs given back were reported `staged` in this check-in; the server has them now.
    for (const QString &uuid : reported) {
        Run *r = m_runs.value(uuid);
        if (r && r->stage() == RunStage::Restaged) {
            m_runs.remove(uuid);
            r->deleteLater();
        }
    }
    // An array of messages (quota kills first), or a single object from older servers; null means none.
    QJsonArray messages;
    if (result.json.isArray()) {
        messages = result.json.array();
    } else if (result.json.isObject()) {
        messages.append(result.json.object());
    }
    bool any = false;
    for (const QJsonValue &m : std::as_const(messages)) {
        if (m.isObject()) {
            any = true;
            handleMessage(m.toObject()); // every message, even after an unknown uuid (§8)
        } else if (!m.isNull()) {
            qCWarning(lcWorker) << "ignoring a check-in message that is not an object";
        }
    }
    if (m_availability == Availability::Stopping && m_giveBack && m_runs.isEmpty() && !m_terminatingSent) {
        m_terminatingSent = true; // this check-in said is_terminating and reported the staged runs
    }
    scheduleSave();
    notifyStatus();
    maybeExit();
    m_checkinTimer.start(!any && elapsedMs < MinIdleCheckinMs ? int(MinIdleCheckinMs - elapsedMs) : 0);
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
    } else if (type == QLatin1String("write")) {
        QString error;
        if (!hasDir
            || !RunFileReader::write(run->runDir(), message.value(QLatin1String("subpath")).toString(),
                message.value(QLatin1String("string")).toString().toUtf8(), run->hiddenNames(), &error)) {
            qCWarning(lcWorker).noquote() << "write to" << uuid << "refused:" << error;
        }
    } else {
        qCWarning(lcWorker).noquote() << "ignoring an unknown message type" << type;
    }
}

void Worker::acceptRun(const QJsonObject &message)
{
    QString error;
    auto record = RunRecord::fromRunMessage(message, &error);
    if (!record) {
        qCWarning(lcWorker).noquote() << "ignoring a run message:" << error;
        return;
    }
    if (m_runs.contains(record->uuid) || m_starting.contains(record->uuid)) {
        return;
    }
    if (m_runsStarted + int(m_starting.size()) >= m_config.exitAfterNumRuns
        || m_availability == Availability::Stopping) {
        qCInfo(lcWorker).noquote() << "not starting" << record->uuid << ": the worker takes no more runs";
        return;
    }
    m_starting.insert(record->uuid);
    const qint64 startTime = QDateTime::currentSecsSinceEpoch();
    server::ApiJob *job = m_api->startBundle(record->uuid, m_config.hostname, startTime);
    connect(job, &server::ApiJob::finished, this,
        [this, rec = *record, startTime](const server::ApiResult &r) mutable {
            m_starting.remove(rec.uuid);
            // The answer is JSON true/false, which QJsonDocument cannot hold; read the raw body.
            if (!r.ok() || r.body.trimmed() != "true") {
                qCInfo(lcWorker).noquote()
                    << "the server did not confirm" << rec.uuid << (r.ok() ? QString() : r.error.message);
                return;
            }
            rec.bundleStartTime = startTime;
            ++m_runsStarted;
            m_idleSince.restart();
            addRun(rec);
            scheduleSave();
            Q_EMIT wantsCheckin();
        });
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
    bool busy = !m_starting.isEmpty();
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
    } else if (m_runsStarted >= m_config.exitAfterNumRuns && m_runs.isEmpty() && m_starting.isEmpty()) {
        qCInfo(lcWorker) << "started" << m_runsStarted << "runs as asked (--exit-after-num-runs); exiting";
        exitCode = 0;
    } else if (m_config.exitWhenIdle && m_everCheckedIn && m_runs.isEmpty() && m_starting.isEmpty()
        && m_idleSince.elapsed() > qint64(m_config.idleSeconds) * 1000) {
        qCInfo(lcWorker) << "idle for" << m_config.idleSeconds << "s (--exit-when-idle); exiting";
        exitCode = 0;
    }
    if (exitCode >= 0) {
        saveState();
        m_running = false;
        m_tick.stop();
        m_checkinTimer.stop();
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

void Worker::pause()
{
    m_availability = Availability::Paused;
    scheduleSave();
    notifyStatus();
    Q_EMIT wantsCheckin(); // the server hears of it now, not after the poll in flight
}

void Worker::resume()
{
    m_availability = Availability::Available;
    m_snoozeUntil = {};
    scheduleSave();
    notifyStatus();
    Q_EMIT wantsCheckin(); // the server hears of it now, not after the poll in flight
}

void Worker::snooze(int seconds)
{
    m_availability = Availability::Snoozed;
    m_snoozeUntil = QDateTime::currentDateTimeUtc().addSecs(qMax(1, seconds));
    scheduleSave();
    notifyStatus();
    Q_EMIT wantsCheckin(); // the server hears of it now, not after the poll in flight
}

void Worker::drain()
{
    m_availability = Availability::Draining;
    scheduleSave();
    notifyStatus();
    Q_EMIT wantsCheckin(); // the server hears of it now, not after the poll in flight
    maybeExit();
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
    scheduleSave();
    notifyStatus();
    Q_EMIT wantsCheckin(); // the server hears of it now, not after the poll in flight
}

bool Worker::setGpuEnabled(const QString &uuid, bool enabled)
{
    if (!m_config.gpuUuids.contains(uuid)) {
        return false;
    }
    m_allocator.setGpuEnabled(uuid, enabled);
    scheduleSave();
    notifyStatus();
    return true;
}

bool Worker::killRun(const QString &uuid, const QString &message)
{
    Run *r = m_runs.value(uuid);
    if (!r) {
        return false;
    }
    r->kill(message.isEmpty() ? QStringLiteral("Kill requested") : message);
    return true;
}

} // namespace codalab::worker
