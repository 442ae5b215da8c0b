// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cluster/managerconfig.h"
#include "cluster/slurmjob.h"
#include "cluster/stagedrun.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace codalab::server {
class CodaLabClient;
}

namespace codalab::cluster {

class SlurmClient;

/// The worker manager (codalab-protocol.md §8, architecture.md): every --poll-seconds it asks the server for
/// the staged runs of its tag and Slurm for its jobs (found by name, so a restarted manager finds them
/// again), then submits one job per staged run that none is coming for, up to --max-workers, and cancels
/// pending jobs whose run went elsewhere (ManagerPlan). It counts what goes wrong: a run sbatch refused
/// is not submitted again; a pending job Slurm will never start is cancelled and its run not submitted
/// again (until the manager starts again); after --max-failures failures in a row (refusals, jobs that
/// failed, an unreachable Slurm) it stops submitting and says why until resume(). Slurm decides where and
/// when; nothing here schedules.
///
/// Usage: construct with the config, a logged-in client and a SlurmClient; start(). status() is what the
/// control socket's `status` answers; pause(), resume(), stop() are its other methods. finished() comes
/// after stop() once no pending job is left (running jobs finish on their own).
class WorkerManager : public QObject
{
    Q_OBJECT
public:
    WorkerManager(
        ManagerConfig config, server::CodaLabClient *client, SlurmClient *slurm, QObject *parent = nullptr);

    void start();
    void pause();
    void resume();
    /// Cancels the pending jobs and submits nothing more; running jobs finish their runs.
    void stop();
    QJsonObject status() const;
    const ManagerConfig &config() const { return m_config; }
    /// The search keywords (upstream's worker manager's): state=staged, the tag as request_queue, .mine.
    QStringList searchKeywords() const;
    /// Whether a round is under way (for tests: a round ends in roundDone()).
    bool isBusy() const { return m_busy; }
    /// Where a job's output (its worker's log) is.
    QString logPath(const SlurmJob &job) const;

Q_SIGNALS:
    void roundDone();
    void statusChanged();
    /// A line for the log: what it submitted, cancelled, or what went wrong.
    void message(const QString &text);
    void finished();

private:
    void round();
    void haveAnswers();
    void noteEndedJobs();
    /// scancel, counted so that a stop waits for Slurm's answer.
    void cancel(const QStringList &jobIds);
    void submitNext();
    void failure(const QString &what);
    void endRound();

    ManagerConfig m_config;
    server::CodaLabClient *m_client;
    SlurmClient *m_slurm;
    QTimer m_timer;
    bool m_busy = false;
    bool m_paused = false;
    bool m_stopping = false;
    bool m_halted = false; ///< stopped submitting after --max-failures
    int m_failuresInARow = 0;
    QString m_lastError;
    QElapsedTimer m_since;
    // One round's answers.
    int m_waiting = 0;
    QList<StagedRun> m_staged;
    bool m_stagedOk = false;
    QList<SlurmJob> m_jobs; ///< ours, as squeue listed them last (ended ones included)
    bool m_jobsOk = false;
    QList<StagedRun> m_toSubmit;
    int m_sparesToSubmit = 0;
    int m_cancelsInFlight = 0; ///< scancel calls not answered yet: a stop waits for them
    // What outlives a round.
    QHash<QString, QString> m_refused; ///< run -> why Slurm would not take a job for it
    QSet<QString> m_cancelledByUs;
    QSet<QString> m_seenEnded; ///< jobs whose end was already counted
    /// Set once squeue first answered: the jobs that had ended by then are an earlier manager's history.
    bool m_historyKnown = false;
};

} // namespace codalab::cluster
