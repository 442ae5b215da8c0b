// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace codalab::server {
class WorkerApi;
}

namespace codalab::worker {

/// The cadence of check-ins (codalab-protocol.md §3.0, §3.1, §7, §8): exactly one in flight, the next one
/// as soon as the previous returns, a pause after repeated failures, pacing of a server that answers idle
/// check-ins at once, and news sent without waiting out the poll in flight.
///
/// Usage: give it the worker's API and a function building each check-in body; start(). answered() brings
/// each answer's messages; the loop stops after stop().
class CheckinLoop : public QObject
{
    Q_OBJECT
public:
    using BodyBuilder = std::function<QJsonObject()>;
    CheckinLoop(server::WorkerApi *api, BodyBuilder body, QObject *parent = nullptr);

    void start();
    void stop();
    /// There is news: between check-ins the next one goes now, and an early empty answer to the one in
    /// flight (a server woken for it) is not paced.
    void request();
    /// A run changed in a way the server should hear of. At once when the state the server sees changed
    /// (preparing, running, finalizing, or gone); otherwise within ReportDelayMs, so that a short run going
    /// from running to cleaning up to uploading (all `running` to the server) does not cost a check-in, and a
    /// wake of the server, per stage.
    void report(const QString &uuid, const QString &serverState);

    bool isConnected() const { return m_connected; }
    /// Invalid until a check-in succeeded.
    const QDateTime &lastCheckin() const { return m_lastCheckin; }
    const QString &lastError() const { return m_lastError; }

    static constexpr int CooldownMs = 5000; ///< after two failures in a row (upstream CHECKIN_COOLDOWN)
    static constexpr int MinIdleMs = 1000; ///< an idle answer sooner than this: the server does not hold
    static constexpr int ReportDelayMs = 200; ///< news that the server's view of a run does not depend on

Q_SIGNALS:
    /// A check-in went through. `staged`: the runs it reported given back; `lastWord`: it said
    /// is_terminating and reported every run it listed as staged.
    void answered(const QJsonArray &messages, const QStringList &staged, bool lastWord);
    void failed(const QString &error);
    /// request() or report() wants the check-in in flight answered now (a local server can be woken).
    void wakeWanted();

private:
    void checkin();

    server::WorkerApi *m_api;
    BodyBuilder m_body;
    QTimer m_timer;
    QTimer m_reportSoon;
    QHash<QString, QString>
        m_reportedStates; ///< by run: the state of its last report() that was sent at once
    bool m_running = false;
    bool m_inFlight = false;
    bool m_wakeRequested = false;
    bool m_connected = false;
    int m_failures = 0;
    QDateTime m_lastCheckin;
    QString m_lastError;
};

} // namespace codalab::worker
