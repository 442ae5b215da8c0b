// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/clustercontroller.h"

#include "cluster/managerheadline.h"
#include "cluster/slurmclient.h"
#include "common/workerlink.h"
#include "shell/workerlauncher.h"
#include "shell/workerservice.h"

#include <QFile>
#include <QJsonArray>
#include <QProcessEnvironment>
#include <QSettings>
#include <QTimer>

#include <cerrno>
#include <csignal>

namespace codalab::ui {

namespace {

QString keepKey(const QString &name)
{
    // Outside the "clusters" array, which saveProfile() rewrites: starting or stopping is not an edit.
    return QStringLiteral("clusterManagers/%1/keepRunning").arg(QString::fromLatin1(name.toUtf8().toHex()));
}

} // namespace

ClusterController::ClusterController(
    QSettings *settings, QString managerProgram, QString workerProgram, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_program(managerProgram.isEmpty()
              ? WorkerLauncher::findProgram(QStringLiteral("codalab-worker-manager"))
              : std::move(managerProgram))
    , m_workerProgram(std::move(workerProgram))
    , m_profiles(ClusterProfile::load(settings))
    , m_systemdConfigDirs(WorkerService::defaultConfigDirs())
{
    for (const ClusterProfile &p : std::as_const(m_profiles)) {
        attach(p);
    }
}

ClusterController::~ClusterController() = default;

const ClusterProfile *ClusterController::profile(const QString &name) const
{
    for (const ClusterProfile &p : m_profiles) {
        if (p.name == name) {
            return &p;
        }
    }
    return nullptr;
}

void ClusterController::saveProfile(const ClusterProfile &profile, const QString &previousName)
{
    const QString old = previousName.isEmpty() ? profile.name : previousName;
    const bool kept = keepRunning(old);
    bool replaced = false;
    for (ClusterProfile &p : m_profiles) {
        if (p.name == old) {
            p = profile;
            replaced = true;
        }
    }
    if (!replaced) {
        m_profiles << profile;
    }
    ClusterProfile::save(m_settings, m_profiles);
    detach(old);
    setKeepRunning(old, false);
    setKeepRunning(profile.name, kept);
    attach(profile);
    Q_EMIT profilesChanged();
}

void ClusterController::removeProfile(const QString &name)
{
    m_profiles.removeIf([&name](const ClusterProfile &p) { return p.name == name; });
    ClusterProfile::save(m_settings, m_profiles);
    setKeepRunning(name, false);
    const auto it = m_clusters.constFind(name);
    if (it != m_clusters.cend() && it->link->isConnected()) {
        // Detached only once the manager took the stop: destroying the link first could lose it, and the
        // manager would go on with nothing left to see or stop it.
        it->link->call(QStringLiteral("stop"), {}, this,
            [this, name, link = it->link](const QJsonValue &, int, const QString &) {
                if (m_clusters.value(name).link == link) { // not a profile of that name added since
                    detach(name);
                }
            });
    } else {
        detach(name);
    }
    Q_EMIT profilesChanged();
}

void ClusterController::attach(const ClusterProfile &profile)
{
    detach(profile.name); // one being removed while its manager stops
    Cluster c;
    c.profile = profile;
    c.link = new WorkerLink(this); // the manager's control socket speaks the worker's protocol
    c.link->setReconnectIntervalMs(2000);
    c.slurm = new cluster::SlurmClient(profile.sshHost, this);
    const QString name = profile.name;
    connect(c.link, &WorkerLink::statusChanged, this, [this, name] { Q_EMIT statusChanged(name); });
    connect(c.link, &WorkerLink::connectionChanged, this, [this, name] { connectionChanged(name); });
    c.starting = new QTimer(this);
    c.starting->setInterval(500);
    connect(c.starting, &QTimer::timeout, this, [this, name] { checkStart(name); });
    connect(
        c.link, &WorkerLink::commandFailed, this, [this, name](const QString &method, const QString &text) {
            Q_EMIT message(name, tr("The manager refused %1: %2").arg(method, text));
        });
    c.link->setSocketPath(profile.socketPath());
    m_clusters.insert(name, c);
}

void ClusterController::detach(const QString &name)
{
    const auto it = m_clusters.find(name);
    if (it == m_clusters.end()) {
        return;
    }
    // Later, not now: detach() may run inside the link's own answer (removeProfile's stop), and nothing of a
    // detached link may reach this object again.
    it->link->disconnect(this);
    it->link->deleteLater();
    delete it->starting;
    delete it->slurm; // kills a sinfo still running; its callback never runs
    m_clusters.erase(it);
}

void ClusterController::setAccount(const QString &serverUrl, const QString &username, const QString &password)
{
    m_serverUrl = serverUrl;
    m_username = username;
    m_password = password;
    // A manager the user left running but which is gone (the machine restarted) comes back, once its socket
    // had the time to answer.
    if (!serverUrl.isEmpty()) {
        QTimer::singleShot(3000, this, &ClusterController::startKept);
    }
}

void ClusterController::startKept()
{
    for (const ClusterProfile &p : std::as_const(m_profiles)) {
        QString error;
        if (keepRunning(p.name) && !isRunning(p.name) && !start(p.name, &error)) {
            Q_EMIT message(p.name, error);
        }
    }
}

bool ClusterController::start(const QString &name, QString *error)
{
    const ClusterProfile *p = profile(name);
    if (!p) {
        *error = tr("There is no cluster %1.").arg(name);
        return false;
    }
    if (isRunning(name) || isStarting(name)) {
        return true; // a second manager for the tag could not take the control socket anyway
    }
    // Enabled as a systemd user service: systemd starts it, with the flags of its own environment file.
    auto *service = new WorkerService(m_systemdConfigDirs, m_systemctl, this);
    service->setUnit(unitName(p->tag));
    if (service->isEnabled()) {
        connect(service, &WorkerService::finished, this, [this, name, service](bool ok, const QString &text) {
            service->deleteLater();
            const auto it = m_clusters.find(name);
            if (!ok && it != m_clusters.end() && it->starting->isActive()) {
                // systemd's own words ("Unit … not found", a bad flags file) end the start at once.
                it->starting->stop();
                it->startError = tr("systemd did not start it: %1").arg(text);
                Q_EMIT message(name, tr("The manager of %1 did not start: %2").arg(name, it->startError));
                Q_EMIT statusChanged(name);
            }
        });
        service->start();
        Cluster &c = m_clusters[name];
        c.startError.clear();
        c.startPid = 0; // systemd's child: only the socket says it came up
        c.startClock.start();
        c.starting->start();
        Q_EMIT statusChanged(name);
        return true;
    }
    delete service;
    if (m_serverUrl.isEmpty()) {
        *error = tr("Log in first: the manager works for the account the desktop is logged in to.");
        return false;
    }
    if (m_program.isEmpty()) {
        *error = tr("codalab-worker-manager is not installed (looked beside this program and on PATH).");
        return false;
    }
    if (const QStringList problems = p->validate(); !problems.isEmpty()) {
        *error = problems.join(QLatin1Char(' '));
        return false;
    }
    // The account through the environment, never a flag `ps` would show; sbatch passes it on to the jobs.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CODALAB_USERNAME"), m_username);
    environment.insert(QStringLiteral("CODALAB_PASSWORD"), m_password);
    qint64 pid = 0;
    QStringList arguments = p->managerArguments(m_serverUrl);
    if (p->sshHost.isEmpty() && !m_workerProgram.isEmpty()) {
        arguments << QStringLiteral("--worker-executable") << m_workerProgram;
    }
    if (!WorkerLauncher::start(m_program, arguments, environment, p->managerLogPath(), &pid, error)) {
        return false;
    }
    Cluster &c = m_clusters[name];
    c.startError.clear();
    c.startPid = pid;
    c.startClock.start();
    c.starting->start();
    Q_EMIT statusChanged(name);
    return true;
}

void ClusterController::setSystemd(const QStringList &configDirs, const QString &systemctl)
{
    m_systemdConfigDirs = configDirs;
    m_systemctl = systemctl;
}

QString ClusterController::unitName(const QString &tag)
{
    return QStringLiteral("codalab-worker-manager@%1.service").arg(tag);
}

bool ClusterController::isStarting(const QString &name) const
{
    const auto it = m_clusters.constFind(name);
    return it != m_clusters.cend() && it->starting->isActive();
}

QString ClusterController::startError(const QString &name) const
{
    const auto it = m_clusters.constFind(name);
    return it == m_clusters.cend() ? QString() : it->startError;
}

void ClusterController::connectionChanged(const QString &name)
{
    const auto it = m_clusters.find(name);
    if (it == m_clusters.end()) {
        return;
    }
    if (it->link->isConnected()) {
        // Kept running only once it came up: a manager that cannot log in must not be started again at
        // every login without a word.
        if (it->starting->isActive()) {
            it->starting->stop();
            setKeepRunning(name, true);
        }
        it->startError.clear();
    }
    Q_EMIT statusChanged(name);
}

void ClusterController::checkStart(const QString &name)
{
    const auto it = m_clusters.constFind(name);
    if (it == m_clusters.cend()) {
        return;
    }
    // A manager that exited (it could not log in, a flag it refused) is said at once; one that neither
    // answers nor exits, after the timeout. kill(pid, 0) only asks whether the process is still there.
    bool gone = it->startPid > 0 && ::kill(pid_t(it->startPid), 0) != 0 && errno == ESRCH;
    if (!gone && it->startPid > 0) {
        // An exited process nobody reaped yet (where PID 1 does not reap) still answers kill(): a zombie.
        QFile stat(QStringLiteral("/proc/%1/stat").arg(it->startPid));
        if (stat.open(QIODevice::ReadOnly)) {
            const QByteArray line = stat.readAll();
            const qsizetype close = line.lastIndexOf(')');
            gone = close > 0 && line.mid(close + 2, 1) == "Z";
        }
    }
    if (gone || it->startClock.hasExpired(m_startTimeoutMs)) {
        startFailed(name);
    }
}

void ClusterController::startFailed(const QString &name)
{
    const auto it = m_clusters.find(name);
    if (it == m_clusters.end()) {
        return;
    }
    it->starting->stop();
    // Its own words say why (a refused login, an unknown flag): the last lines of its log.
    QString why;
    QFile log(it->profile.managerLogPath());
    if (log.open(QIODevice::ReadOnly)) {
        log.seek(qMax<qint64>(0, log.size() - 4096));
        QStringList lines = QString::fromUtf8(log.readAll()).trimmed().split(QLatin1Char('\n'));
        why = lines.mid(qMax<qsizetype>(0, lines.size() - 3)).join(QLatin1Char(' '));
    }
    it->startError = why.isEmpty() ? tr("it did not answer within %1 s").arg(m_startTimeoutMs / 1000) : why;
    Q_EMIT message(name, tr("The manager of %1 did not start: %2").arg(name, it->startError));
    Q_EMIT statusChanged(name);
}

void ClusterController::stop(const QString &name)
{
    setKeepRunning(name, false);
    if (const auto it = m_clusters.constFind(name); it != m_clusters.cend()) {
        it->link->call(QStringLiteral("stop"));
    }
}

void ClusterController::pause(const QString &name)
{
    if (const auto it = m_clusters.constFind(name); it != m_clusters.cend()) {
        it->link->pause(
            [link = it->link](bool, const QJsonValue &, const QString &) { link->refreshStatus(); });
    }
}

void ClusterController::resume(const QString &name)
{
    if (const auto it = m_clusters.constFind(name); it != m_clusters.cend()) {
        it->link->resume(
            [link = it->link](bool, const QJsonValue &, const QString &) { link->refreshStatus(); });
    }
}

void ClusterController::refreshStatus(const QString &name)
{
    if (const auto it = m_clusters.constFind(name); it != m_clusters.cend() && it->link->isConnected()) {
        it->link->refreshStatus();
    }
}

ManagerState ClusterController::managerState(const QString &name) const
{
    return ManagerHeadline::stateOf(isStarting(name), isRunning(name), status(name));
}

bool ClusterController::canResume(const QString &name) const
{
    const ManagerState state = managerState(name);
    return state == ManagerState::Paused || state == ManagerState::Halted;
}

bool ClusterController::isRunning(const QString &name) const
{
    const auto it = m_clusters.constFind(name);
    return it != m_clusters.cend() && it->link->isConnected();
}

QJsonObject ClusterController::status(const QString &name) const
{
    const auto it = m_clusters.constFind(name);
    return it == m_clusters.cend() ? QJsonObject() : it->link->status();
}

QString ClusterController::headline(const QString &name, bool *ok) const
{
    bool good = true;
    const QString text = ManagerHeadline::text(managerState(name), status(name), startError(name), &good);
    if (ok) {
        *ok = good;
    }
    return text;
}

void ClusterController::ensurePartitions(const QString &name)
{
    const auto it = m_clusters.constFind(name);
    if (it != m_clusters.cend() && !it->partitionsAsked) {
        refreshPartitions(name);
    }
}

void ClusterController::ensurePartitions()
{
    for (const ClusterProfile &p : std::as_const(m_profiles)) {
        ensurePartitions(p.name);
    }
}

void ClusterController::refreshPartitions(const QString &name)
{
    const auto it = m_clusters.find(name);
    if (it == m_clusters.end()) {
        return;
    }
    it->partitionsAsked = true;
    it->slurm->partitions(
        [this, name](const cluster::SlurmResult &r, const QList<cluster::SlurmPartition> &partitions) {
            const auto found = m_clusters.find(name);
            if (found == m_clusters.end()) {
                return;
            }
            found->partitionsKnown = r.ok;
            found->partitions = r.ok ? partitions : QList<cluster::SlurmPartition>();
            found->partitionsError = r.ok ? QString() : r.error;
            Q_EMIT partitionsChanged(name);
        });
}

ClusterQueue ClusterController::queue(const QString &name) const
{
    const auto it = m_clusters.constFind(name);
    if (it == m_clusters.cend()) {
        return {};
    }
    ClusterQueue q;
    q.name = it->profile.name;
    q.tag = it->profile.tag;
    q.partition = it->profile.partition;
    q.managerRunning = it->link->isConnected();
    q.partitionsKnown = it->partitionsKnown;
    q.partitions = it->partitions;
    q.partitionsError = it->partitionsError;
    return q;
}

QList<ClusterQueue> ClusterController::queues() const
{
    QList<ClusterQueue> list;
    for (const ClusterProfile &p : m_profiles) {
        list << queue(p.name);
    }
    return list;
}

void ClusterController::readJobLog(const QString &name, const QString &path, QObject *context,
    std::function<void(const QString &, const QString &)> done)
{
    const auto it = m_clusters.constFind(name);
    if (it == m_clusters.cend() || path.isEmpty()) {
        done({}, tr("This job has no log."));
        return;
    }
    // tail, on this machine or on the login node alike: the file may be large and, over ssh, far away.
    QPointer<QObject> guard(context);
    it->slurm->run(QStringLiteral("tail"), { QStringLiteral("-c"), QString::number(JobLogTailBytes), path },
        {}, [guard, done, path](const cluster::SlurmResult &r) {
            if (!guard) {
                return;
            }
            if (!r.ok) {
                done({}, r.error.isEmpty() ? tr("Cannot read %1").arg(path) : r.error);
                return;
            }
            done(r.output, {});
        });
}

void ClusterController::setKeepRunning(const QString &name, bool on)
{
    if (on) {
        m_settings->setValue(keepKey(name), true);
    } else {
        m_settings->remove(keepKey(name));
    }
}

bool ClusterController::keepRunning(const QString &name) const
{
    return m_settings->value(keepKey(name)).toBool();
}

} // namespace codalab::ui
