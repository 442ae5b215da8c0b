// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/controlerror.h"

#include <QJsonValue>
#include <QObject>

class QTimer;

namespace codalab::worker {

/// One JSON-RPC call to the worker's control socket, made by ControlClient::call().
///
/// Usage: connect finished(); it is emitted exactly once, never from within call() itself: with the result,
/// or with the worker's error, or with a ControlError::TransportError when the worker is not running, went
/// away before answering, or did not answer within the call's timeout. The call deletes itself afterwards.
/// cancel() stops it without emitting anything (a cancelled call is never a failure); a late answer to a
/// cancelled or timed-out call is ignored. Destroying the client cancels its calls.
class ControlCall : public QObject
{
    Q_OBJECT
public:
    /// Made by ControlClient; `timeoutMs` <= 0 waits for ever. `socketPath` is only for messages.
    ControlCall(qint64 id, QString method, QString socketPath, int timeoutMs, QObject *parent);

    qint64 id() const { return m_id; }
    QString method() const { return m_method; }
    bool isFinished() const { return m_finished; }

    void cancel();
    /// Emits finished() once and deletes the call; later calls do nothing. Used by ControlClient.
    void finish(const QJsonValue &result, const codalab::worker::ControlError &error);

Q_SIGNALS:
    void finished(const QJsonValue &result, const codalab::worker::ControlError &error);

private:
    qint64 m_id;
    QString m_method;
    QString m_socketPath;
    QTimer *m_timer;
    bool m_finished = false;
};

} // namespace codalab::worker
