// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cluster/clusterprofile.h"
#include "cluster/managerheadline.h"
#include "common/clusterqueue.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>

class QSettings;
class QTimer;

namespace codalab::cluster {
class SlurmClient;
}

namespace codalab::ui {

class WorkerLink;

/// The desktop's Slurm clusters: their profiles (kept in the settings), one worker manager per profile
/// (codalab-worker-manager, started detached so that it outlives the window like the worker, and watched
/// over its control socket), the partitions' limits sinfo reports, and the jobs' worker logs.
///
/// Usage: setAccount() once the desktop is logged in (the manager gets the account through its environment,
/// never a flag); then start()/stop()/pause()/resume() a profile by name. statusChanged() follows each
/// manager, partitionsChanged() each cluster's limits (refreshPartitions()); queues() is what the
/// submission dialog offers. A profile the user started is started again by the next desktop that finds
/// it not running (as the worker is), until the user stops it.
class ClusterController : public QObject
{
    Q_OBJECT
public:
    /// `managerProgram`: codalab-worker-manager; empty: beside this program, else on PATH. `workerProgram`:
    /// the codalab-worker a job on this machine's Slurm runs (this desktop's own); a cluster reached over
    /// ssh runs the one on its PATH.
    ClusterController(QSettings *settings, QString managerProgram = {}, QString workerProgram = {},
        QObject *parent = nullptr);

    /// Where `systemctl --user enable codalab-worker-manager@TAG` leaves its links, and the systemctl to run:
    /// a profile whose tag has an enabled unit is started by systemd (with the unit's own flags), not by
    /// this desktop. Default: WorkerService's directories, "systemctl".
    void setSystemd(const QStringList &configDirs, const QString &systemctl);
    /// "codalab-worker-manager@TAG.service".
    static QString unitName(const QString &tag);
    ~ClusterController() override;

    const QList<ClusterProfile> &profiles() const { return m_profiles; }
    const ClusterProfile *profile(const QString &name) const;
    /// Adds `profile`, or replaces the one called `previousName`; saved at once. A manager already running
    /// under the old tag keeps running until stopped (it is watched no more when the tag changed).
    void saveProfile(const ClusterProfile &profile, const QString &previousName = {});
    /// A running manager is stopped first (its pending jobs cancelled, running ones finish), then the
    /// profile goes.
    void removeProfile(const QString &name);

    void setAccount(const QString &serverUrl, const QString &username, const QString &password);
    bool hasAccount() const { return !m_serverUrl.isEmpty(); }

    /// Starts the profile's manager; false and *error when it cannot (no account, not installed). Until its
    /// control socket answers (it listens once logged in) isStarting() is true; a manager that has not
    /// answered within StartTimeoutMs is said not to have started, with the end of its log, by message().
    bool start(const QString &name, QString *error);
    bool isStarting(const QString &name) const;
    /// Why the last start did not come up; empty once a manager answers.
    QString startError(const QString &name) const;
    static constexpr int StartTimeoutMs = 60000;
    /// Tests wait less.
    void setStartTimeoutMs(int ms) { m_startTimeoutMs = ms; }
    void stop(const QString &name);
    void pause(const QString &name);
    void resume(const QString &name);

    /// Asks the manager for a status now (the jobs' ages move on without an event).
    void refreshStatus(const QString &name);
    bool isRunning(const QString &name) const;
    /// The manager's state in one word, read once here for the page, the menu and the headline: its status's
    /// `state` while it answers, else whether a start is under way.
    ManagerState managerState(const QString &name) const;
    /// Pause or Resume: what fits the state (Running: pause; Paused or Halted: resume); nothing otherwise.
    bool canPause(const QString &name) const { return managerState(name) == ManagerState::Running; }
    bool canResume(const QString &name) const;
    /// The manager's last status ({} while it does not answer).
    QJsonObject status(const QString &name) const;
    /// One line: "Running — 2 jobs: 1 running, 1 pending", "Paused", "Stopped submitting: <why>",
    /// "Not running".
    QString headline(const QString &name, bool *ok = nullptr) const;

    /// Asks sinfo (locally or over ssh) for the partitions of `name`'s cluster.
    void refreshPartitions(const QString &name);
    /// The same, once: only for a cluster not asked yet. What shows limits calls it (the page, the submission
    /// dialog), so that starting the desktop runs no sinfo or ssh for clusters nobody looks at.
    void ensurePartitions(const QString &name);
    /// ensurePartitions() for every cluster.
    void ensurePartitions();
    ClusterQueue queue(const QString &name) const;
    QList<ClusterQueue> queues() const;

    /// The end of a job's output file (its worker's log), read where the job wrote it: on this machine,
    /// or on the login node over ssh. `done(text, error)` runs only while `context` lives.
    void readJobLog(const QString &name, const QString &path, QObject *context,
        std::function<void(const QString &text, const QString &error)> done);

    static constexpr qint64 JobLogTailBytes = 256 * 1024;

Q_SIGNALS:
    void profilesChanged();
    void statusChanged(const QString &name);
    void partitionsChanged(const QString &name);
    /// A command the manager or Slurm refused, or a manager that could not start.
    void message(const QString &name, const QString &text);

private:
    struct Cluster
    {
        ClusterProfile profile;
        WorkerLink *link = nullptr;
        cluster::SlurmClient *slurm = nullptr;
        /// What sinfo said, once it answered; partitionsError when it did not.
        bool partitionsKnown = false;
        QList<cluster::SlurmPartition> partitions;
        QString partitionsError;
        bool partitionsAsked = false;
        QTimer *starting = nullptr; ///< ticks while a started manager has not answered yet
        QElapsedTimer startClock;
        qint64 startPid = 0;
        QString startError;
    };
    void checkStart(const QString &name);
    void startFailed(const QString &name);
    void connectionChanged(const QString &name);
    void attach(const ClusterProfile &profile);
    void detach(const QString &name);
    void setKeepRunning(const QString &name, bool on);
    bool keepRunning(const QString &name) const;
    void startKept();

    QSettings *m_settings;
    QString m_program;
    QString m_workerProgram;
    QList<ClusterProfile> m_profiles;
    QHash<QString, Cluster> m_clusters;
    QString m_serverUrl;
    QString m_username;
    QString m_password;
    int m_startTimeoutMs = StartTimeoutMs;
    QStringList m_systemdConfigDirs;
    QString m_systemctl = QStringLiteral("systemctl");
};

} // namespace codalab::ui
