// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace codalab::worker {
class ControlClient;
}

namespace codalab::ui {

/// The desktop's live view of its worker, over the worker's control socket (ControlClient): the last
/// status the worker published (WorkerStatus's JSON: availability, server, slots, gpus, runs, machine,
/// caches) and the commands the window and the tray send it.
///
/// Usage: setSocketPath() connects and keeps connecting every reconnectIntervalMs() while no worker
/// answers, so a worker started later (or restarted) is picked up by itself. Once connected the link
/// subscribes to the worker's events and asks for one status; statusChanged() then fires on every status
/// the worker pushes. connectionChanged() fires when the link comes up or goes down (status() is then
/// cleared to {}). Commands never block: each result comes back through the optional callback (ok, result
/// or error message) and a failure is also announced with commandFailed() so a window can show it once.
class WorkerLink : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(bool ok, const QJsonValue &result, const QString &error)>;
    /// With the worker's error code (ControlError::code; 0 when it answered), e.g. to tell MethodNotFound
    /// from a timeout.
    using ResultCallback = std::function<void(const QJsonValue &result, int errorCode, const QString &error)>;

    explicit WorkerLink(QObject *parent = nullptr);
    ~WorkerLink() override;

    void setSocketPath(const QString &path);
    QString socketPath() const { return m_path; }
    /// Stops connecting; status() is cleared.
    void close();

    bool isConnected() const { return m_connected; }
    /// The last status; {} while not connected.
    const QJsonObject &status() const { return m_status; }
    /// Why the link is down ("worker not running at …"); empty while connected.
    QString lastError() const { return m_lastError; }

    int reconnectIntervalMs() const { return m_retry.interval(); }
    void setReconnectIntervalMs(int ms) { m_retry.setInterval(ms); }

    /// Any method of the control socket (see WorkerControl).
    void call(const QString &method, const QJsonValue &params = {}, Callback done = {});
    /// The same, for callers that may go away first: `done` runs only while `context` lives.
    void call(const QString &method, const QJsonValue &params, QObject *context, ResultCallback done);
    void refreshStatus();

    void pause(Callback done = {});
    void resume(Callback done = {});
    void snooze(int seconds, Callback done = {});
    void drain(Callback done = {});
    void stop(bool giveBack, Callback done = {});
    void setSlots(int slotCount, Callback done = {});
    void setGpuEnabled(const QString &uuid, bool enabled, Callback done = {});
    void killRun(const QString &uuid, Callback done = {});

Q_SIGNALS:
    void statusChanged(const QJsonObject &status);
    /// Every event the worker publishes ("status", "runSample", "machineSample"...), with its data.
    void eventReceived(const QString &name, const QJsonValue &data);
    void connectionChanged(bool connected);
    void commandFailed(const QString &method, const QString &message);

private:
    void connectNow();
    void onConnected();
    void onDown(const QString &message);
    void setStatus(const QJsonObject &status);

    worker::ControlClient *m_client;
    QTimer m_retry;
    QString m_path;
    QString m_lastError;
    QJsonObject m_status;
    bool m_connected = false;
};

} // namespace codalab::ui
