// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/workerlink.h"

#include "worker/controlcall.h"
#include "worker/controlclient.h"

#include <QJsonObject>
#include <QPointer>

namespace codalab::ui {

WorkerLink::WorkerLink(QObject *parent)
    : QObject(parent)
    , m_client(new worker::ControlClient(this))
{
    m_retry.setInterval(2000);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &WorkerLink::connectNow);
    connect(m_client, &worker::ControlClient::connected, this, &WorkerLink::onConnected);
    connect(m_client, &worker::ControlClient::errorOccurred, this, &WorkerLink::onDown);
    connect(m_client, &worker::ControlClient::disconnected, this,
        [this] { onDown(tr("The worker closed its control socket")); });
    connect(m_client, &worker::ControlClient::eventReceived, this,
        [this](const QString &name, const QJsonValue &data) {
            if (name == QLatin1String("status") && data.isObject()) {
                setStatus(data.toObject());
            }
            Q_EMIT eventReceived(name, data);
        });
}

WorkerLink::~WorkerLink() = default;

void WorkerLink::setSocketPath(const QString &path)
{
    m_path = path;
    connectNow();
}

void WorkerLink::close()
{
    m_path.clear();
    m_retry.stop();
    m_client->disconnectFromServer();
    const bool was = m_connected;
    m_connected = false;
    m_status = {};
    if (was) {
        Q_EMIT connectionChanged(false);
    }
}

void WorkerLink::connectNow()
{
    m_retry.stop();
    if (!m_path.isEmpty()) {
        m_client->connectToServer(m_path);
    }
}

void WorkerLink::onConnected()
{
    m_lastError.clear();
    m_connected = true;
    m_client->subscribe();
    Q_EMIT connectionChanged(true);
    refreshStatus();
}

void WorkerLink::onDown(const QString &message)
{
    m_lastError = message;
    const bool was = m_connected;
    m_connected = false;
    if (!m_path.isEmpty()) {
        // Start the retry before announcing the loss, so listeners see a link that is already recovering.
        m_retry.start();
    }
    if (was) {
        m_status = {};
        Q_EMIT connectionChanged(false);
        Q_EMIT statusChanged(m_status);
    }
}

void WorkerLink::setStatus(const QJsonObject &status)
{
    m_status = status;
    Q_EMIT statusChanged(m_status);
}

void WorkerLink::refreshStatus()
{
    call(QStringLiteral("status"), {}, [this](bool ok, const QJsonValue &result, const QString &) {
        if (ok && result.isObject()) {
            setStatus(result.toObject());
        }
    });
}

void WorkerLink::call(const QString &method, const QJsonValue &params, Callback done)
{
    if (!m_connected) {
        const QString message = m_lastError.isEmpty() ? tr("The worker is not running") : m_lastError;
        // Never call back from within call(): callers may still be setting up.
        QTimer::singleShot(0, this, [this, method, message, done] {
            if (done) {
                done(false, {}, message);
            }
            Q_EMIT commandFailed(method, message);
        });
        return;
    }
    worker::ControlCall *c = m_client->call(method, params);
    connect(c, &worker::ControlCall::finished, this,
        [this, method, done](const QJsonValue &result, const worker::ControlError &error) {
            const bool ok = error.code == 0;
            if (done) {
                done(ok, result, error.message);
            }
            if (!ok) {
                Q_EMIT commandFailed(method, error.message);
            }
        });
}

void WorkerLink::call(const QString &method, const QJsonValue &params, QObject *context, ResultCallback done)
{
    QPointer<QObject> guard(context);
    if (!m_connected) {
        const QString message = m_lastError.isEmpty() ? tr("The worker is not running") : m_lastError;
        QTimer::singleShot(0, context, [this, method, message, done, guard] {
            if (guard && done) {
                done({}, worker::ControlError::TransportError, message);
            }
            Q_EMIT commandFailed(method, message);
        });
        return;
    }
    worker::ControlCall *c = m_client->call(method, params);
    connect(c, &worker::ControlCall::finished, context,
        [this, method, done, guard](const QJsonValue &result, const worker::ControlError &error) {
            if (guard && done) {
                done(result, error.code, error.message);
            }
            if (error.isError()) {
                Q_EMIT commandFailed(method, error.message);
            }
        });
}

void WorkerLink::pause(Callback done)
{
    call(QStringLiteral("pause"), {}, std::move(done));
}

void WorkerLink::resume(Callback done)
{
    call(QStringLiteral("resume"), {}, std::move(done));
}

void WorkerLink::snooze(int seconds, Callback done)
{
    call(QStringLiteral("snooze"), QJsonObject { { QStringLiteral("seconds"), seconds } }, std::move(done));
}

void WorkerLink::drain(Callback done)
{
    call(QStringLiteral("drain"), {}, std::move(done));
}

void WorkerLink::stop(bool giveBack, Callback done)
{
    call(QStringLiteral("stop"), QJsonObject { { QStringLiteral("giveBack"), giveBack } }, std::move(done));
}

void WorkerLink::setSlots(int slotCount, Callback done)
{
    call(QStringLiteral("setSlots"), QJsonObject { { QStringLiteral("slots"), slotCount } }, std::move(done));
}

void WorkerLink::setGpuEnabled(const QString &uuid, bool enabled, Callback done)
{
    call(QStringLiteral("setGpuEnabled"),
        QJsonObject { { QStringLiteral("uuid"), uuid }, { QStringLiteral("enabled"), enabled } },
        std::move(done));
}

void WorkerLink::killRun(const QString &uuid, Callback done)
{
    call(QStringLiteral("killRun"), QJsonObject { { QStringLiteral("uuid"), uuid } }, std::move(done));
}

} // namespace codalab::ui
