// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/workermanager.h"

#include "cluster/jobscript.h"
#include "cluster/managerplan.h"
#include "cluster/slurmclient.h"
#include "server/apijob.h"
#include "server/codalabclient.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QRandomGenerator>

namespace codalab::cluster {

WorkerManager::WorkerManager(
    ManagerConfig config, server::CodaLabClient *client, SlurmClient *slurm, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_client(client)
    , m_slurm(slurm)
{
    m_timer.setInterval(m_config.pollSeconds * 1000);
    connect(&m_timer, &QTimer::timeout, this, &WorkerManager::round);
}

QString WorkerManager::logPath(const SlurmJob &job) const
{
    return QDir(m_config.logDir)
        .filePath(QStringLiteral("%1-%2.out").arg(job.name, job.id)); // sbatch's %x-%j
}

QStringList WorkerManager::searchKeywords() const
{
    // request_queue=TAG,tag=TAG: either spelling of the queue (`cl run --request-queue TAG` or `tag=TAG`).
    QStringList k { QStringLiteral("state=staged"),
        QStringLiteral("request_queue=%1,tag=%1").arg(m_config.tag), QStringLiteral(".limit=1000") };
    if (!m_config.searchAllUsers) {
        k << QStringLiteral(".mine");
    }
    return k;
}

void WorkerManager::start()
{
    QDir().mkpath(m_config.logDir); // sbatch writes each job's output there
    m_since.start();
    m_timer.start();
    round();
}

void WorkerManager::pause()
{
    m_paused = true;
    Q_EMIT message(QStringLiteral("paused: no new jobs until resumed"));
    Q_EMIT statusChanged();
}

void WorkerManager::resume()
{
    m_paused = false;
    m_halted = false;
    m_failuresInARow = 0; // the runs Slurm refused stay refused: asked again unchanged, it would say the same
    Q_EMIT message(QStringLiteral("resumed"));
    Q_EMIT statusChanged();
    if (!m_busy) {
        round();
    }
}

void WorkerManager::stop()
{
    m_stopping = true;
    Q_EMIT message(QStringLiteral("stopping: cancelling pending jobs; running ones finish their runs"));
    Q_EMIT statusChanged();
    if (!m_busy) {
        round();
    }
}

void WorkerManager::round()
{
    if (m_busy) {
        return;
    }
    m_busy = true;
    m_waiting = 2;
    m_stagedOk = false;
    m_jobsOk = false;
    server::ApiJob *search = m_client->search(searchKeywords());
    connect(search, &server::ApiJob::finished, this, [this](const server::ApiResult &r) {
        m_stagedOk = r.ok();
        if (r.ok()) {
            m_staged.clear();
            for (const QJsonValue &v : r.json.object().value(QLatin1String("data")).toArray()) {
                if (const auto run = StagedRun::fromResource(v.toObject())) {
                    m_staged << *run;
                }
            }
        } else {
            m_lastError = QStringLiteral("cannot search the server for staged runs: %1").arg(r.error.message);
        }
        if (--m_waiting == 0) {
            haveAnswers();
        }
    });
    m_slurm->jobs(m_config.jobNameStem(), [this](const SlurmResult &r, const QList<SlurmJob> &jobs) {
        m_jobsOk = r.ok;
        if (r.ok) {
            m_jobs = jobs;
        } else {
            failure(QStringLiteral("squeue failed: %1").arg(r.error));
        }
        if (--m_waiting == 0) {
            haveAnswers();
        }
    });
}

void WorkerManager::haveAnswers()
{
    if (!m_stagedOk || !m_jobsOk) {
        endRound(); // deciding on half the picture could submit twice or cancel what is needed
        return;
    }
    noteEndedJobs();
    ManagerPlan::Inputs in;
    in.staged = m_staged;
    in.refused = QSet<QString>(m_refused.keyBegin(), m_refused.keyEnd());
    in.paused = m_paused || m_halted;
    in.stopping = m_stopping;
    for (const SlurmJob &j : std::as_const(m_jobs)) {
        if (j.isActive() && !m_cancelledByUs.contains(j.id)) {
            in.jobs << j;
        }
    }
    const ManagerPlan plan = ManagerPlan::make(m_config, in);
    if (!plan.cancel.isEmpty()) {
        for (const QString &id : plan.cancel) {
            m_cancelledByUs.insert(id);
        }
        Q_EMIT message(
            QStringLiteral("cancelling pending jobs %1").arg(plan.cancel.join(QStringLiteral(", "))));
        cancel(plan.cancel);
    }
    m_toSubmit = plan.submit;
    m_sparesToSubmit = plan.spares;
    submitNext();
}

void WorkerManager::cancel(const QStringList &jobIds)
{
    ++m_cancelsInFlight;
    m_slurm->cancel(jobIds, [this](const SlurmResult &r) {
        --m_cancelsInFlight;
        if (!r.ok) {
            Q_EMIT message(QStringLiteral("scancel failed: %1").arg(r.error));
        }
        if (m_stopping && m_cancelsInFlight == 0 && !m_busy) {
            round(); // stopping ends once Slurm has taken the cancellations
        }
    });
}

void WorkerManager::noteEndedJobs()
{
    if (!m_historyKnown) {
        // Jobs that ended before this manager started (squeue remembers them for MinJobAge) were counted,
        // or not, by the manager that watched them: counted again, a restart after a few failures would
        // stop submitting at once. They stay listed.
        m_historyKnown = true;
        for (const SlurmJob &j : std::as_const(m_jobs)) {
            if (!j.isActive()) {
                m_seenEnded.insert(j.id);
            }
        }
    }
    for (const SlurmJob &j : std::as_const(m_jobs)) {
        const QString run = JobScript::runOf(m_config, j.name);
        if (j.cannotStart() && !m_cancelledByUs.contains(j.id)) {
            // Waiting will not change it: the job goes, and its run is not submitted again as it is.
            const QString why = QStringLiteral("Slurm will not start job %1 (%2)").arg(j.id, j.reason);
            m_cancelledByUs.insert(j.id);
            cancel({ j.id });
            if (!run.isEmpty()) {
                m_refused.insert(run, why);
            }
            failure(why + (run.isEmpty() ? QString() : QStringLiteral(" for run ") + run));
            continue;
        }
        if (j.isActive() || m_seenEnded.contains(j.id)) {
            continue;
        }
        m_seenEnded.insert(j.id);
        if (m_cancelledByUs.contains(j.id)) {
            continue;
        }
        if (j.endedBadly()) {
            failure(QStringLiteral("job %1%2 ended %3 (%4); its output: %5")
                        .arg(j.id, run.isEmpty() ? QString() : QStringLiteral(" (run %1)").arg(run), j.state,
                            j.reason, logPath(j)));
        } else if (j.state == QLatin1String("COMPLETED")) {
            m_failuresInARow = 0; // a worker ran and exited as it should
        }
    }
}

void WorkerManager::submitNext()
{
    if (m_halted || m_paused || m_stopping || (m_toSubmit.isEmpty() && m_sparesToSubmit <= 0)) {
        endRound();
        return;
    }
    const bool spare = m_toSubmit.isEmpty();
    const StagedRun run = spare ? StagedRun() : m_toSubmit.takeFirst();
    if (spare) {
        --m_sparesToSubmit;
    }
    const JobScript job = spare
        ? JobScript::spare(m_config, QString::number(QRandomGenerator::global()->generate(), 16))
        : JobScript::forRun(m_config, run);
    m_slurm->submit(job.sbatchArgs, job.script, [this, job, run, spare](const SlurmResult &r) {
        if (r.ok) {
            const QString id = r.output.trimmed().section(QLatin1Char(';'), 0, 0);
            Q_EMIT message(spare ? QStringLiteral("submitted spare job %1").arg(id)
                                 : QStringLiteral("submitted job %1 for run %2 (%3 CPU, %4 GPU)")
                                       .arg(id, run.uuid)
                                       .arg(run.cpus)
                                       .arg(run.gpus));
            // Listed as pending until the next squeue, so that a round that follows at once counts it.
            SlurmJob pending;
            pending.id = id;
            pending.name = job.name;
            pending.state = QStringLiteral("PENDING");
            pending.submitted = QDateTime::currentDateTime();
            m_jobs << pending;
        } else if (r.unreachable) {
            failure(QStringLiteral("cannot submit to Slurm: %1").arg(r.error));
            m_toSubmit.clear(); // the next round tries again
            m_sparesToSubmit = 0;
        } else {
            const QString why = QStringLiteral("sbatch refused the job: %1").arg(r.error);
            if (!spare) {
                m_refused.insert(run.uuid, why);
            }
            failure(spare ? why : why + QStringLiteral(" (run %1; not submitted again)").arg(run.uuid));
        }
        submitNext();
    });
}

void WorkerManager::failure(const QString &what)
{
    m_lastError = what;
    Q_EMIT message(what);
    if (++m_failuresInARow >= m_config.maxFailures && !m_halted) {
        m_halted = true;
        m_lastError
            = QStringLiteral("stopped submitting after %1 failures in a row; the last: %2. Fix the cause, "
                             "then resume (codalab-worker-manager resume)")
                  .arg(m_failuresInARow)
                  .arg(what);
        Q_EMIT message(m_lastError);
    }
}

void WorkerManager::endRound()
{
    m_busy = false;
    Q_EMIT statusChanged();
    Q_EMIT roundDone();
    if (m_stopping) {
        bool pendingLeft = false;
        for (const SlurmJob &j : std::as_const(m_jobs)) {
            pendingLeft = pendingLeft || (j.isPending() && !m_cancelledByUs.contains(j.id));
        }
        if (!pendingLeft && m_jobsOk && m_cancelsInFlight == 0) {
            m_timer.stop();
            Q_EMIT finished();
        }
    }
}

QJsonObject WorkerManager::status() const
{
    QJsonArray jobs;
    const QDateTime now = QDateTime::currentDateTime();
    for (const SlurmJob &j : m_jobs) {
        jobs.append(QJsonObject { { QStringLiteral("id"), j.id }, { QStringLiteral("name"), j.name },
            { QStringLiteral("run"), JobScript::runOf(m_config, j.name) },
            { QStringLiteral("state"), j.state }, { QStringLiteral("reason"), j.reason },
            { QStringLiteral("node"), j.node },
            { QStringLiteral("age_seconds"), j.submitted.isValid() ? j.submitted.secsTo(now) : 0 },
            { QStringLiteral("log"), logPath(j) },
            { QStringLiteral("cancelled_by_manager"), m_cancelledByUs.contains(j.id) } });
    }
    QJsonArray refused;
    for (auto it = m_refused.cbegin(); it != m_refused.cend(); ++it) {
        refused.append(
            QJsonObject { { QStringLiteral("run"), it.key() }, { QStringLiteral("why"), it.value() } });
    }
    QJsonArray staged;
    for (const StagedRun &r : m_staged) {
        staged.append(r.uuid);
    }
    const QString state = m_stopping ? QStringLiteral("stopping")
        : m_halted                   ? QStringLiteral("halted")
        : m_paused                   ? QStringLiteral("paused")
                                     : QStringLiteral("running");
    return { { QStringLiteral("state"), state }, { QStringLiteral("tag"), m_config.tag },
        { QStringLiteral("server"), m_config.serverUrl },
        { QStringLiteral("max_workers"), m_config.maxWorkers },
        { QStringLiteral("min_workers"), m_config.minWorkers }, { QStringLiteral("jobs"), jobs },
        { QStringLiteral("staged_runs"), staged }, { QStringLiteral("refused_runs"), refused },
        { QStringLiteral("failures_in_a_row"), m_failuresInARow },
        { QStringLiteral("last_error"), m_lastError },
        { QStringLiteral("uptime_seconds"), m_since.isValid() ? m_since.elapsed() / 1000 : 0 } };
}

} // namespace codalab::cluster
