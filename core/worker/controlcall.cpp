// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/controlcall.h"

#include <QPointer>
#include <QTimer>

namespace codalab::worker {

ControlCall::ControlCall(qint64 id, QString method, QString socketPath, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_method(std::move(method))
    , m_socketPath(std::move(socketPath))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this, timeoutMs] {
        finish({},
            ControlError::make(ControlError::TransportError,
                QStringLiteral("the worker at %1 did not answer %2 within %3 s")
                    .arg(m_socketPath, m_method)
                    .arg(timeoutMs / 1000.0)));
    });
    if (timeoutMs > 0) {
        m_timer->start(timeoutMs);
    }
}

void ControlCall::cancel()
{
    m_finished = true;
    m_timer->stop();
    deleteLater();
}

void ControlCall::finish(const QJsonValue &result, const ControlError &error)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_timer->stop();
    QPointer<ControlCall> self(this); // a receiver may delete the call, or its client
    Q_EMIT finished(result, error);
    if (self) {
        deleteLater();
    }
}

} // namespace codalab::worker
