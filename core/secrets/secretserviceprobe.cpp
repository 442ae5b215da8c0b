// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/secretserviceprobe.h"

#include "secrets/secretslogging.h"

#include <QDBusError>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>

namespace codalab::secrets {

namespace {

const auto secretsService = QLatin1String("org.freedesktop.secrets");
const auto secretsPath = QLatin1String("/org/freedesktop/secrets");

// The D-Bus errors that mean "nobody is there to answer", as opposed to an answer that is an error.
bool meansNoService(const QDBusError &error)
{
    switch (error.type()) {
    case QDBusError::ServiceUnknown:
    case QDBusError::NoReply:
    case QDBusError::Timeout:
    case QDBusError::TimedOut:
    case QDBusError::Disconnected:
    case QDBusError::NoServer:
        return true;
    default:
        // Activation failures (the service file names a daemon that cannot start) come as Spawn.* errors.
        return error.name() == QLatin1String("org.freedesktop.DBus.Error.NameHasNoOwner")
            || error.name().startsWith(QLatin1String("org.freedesktop.DBus.Error.Spawn."));
    }
}

QString describe(const QDBusError &error)
{
    return QStringLiteral("%1: %2").arg(error.name(), error.message());
}

} // namespace

SecretServiceProbe::SecretServiceProbe(QObject *parent)
    : SecretServiceProbe(QDBusConnection::sessionBus(), parent)
{ }

SecretServiceProbe::SecretServiceProbe(const QDBusConnection &bus, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
{ }

void SecretServiceProbe::start()
{
    if (m_started) {
        return;
    }
    m_started = true;
    if (!m_bus.isConnected()) {
        const QString detail = m_bus.lastError().isValid() ? describe(m_bus.lastError())
                                                           : QStringLiteral("no D-Bus session bus");
        // finished() must not fire before the caller returns from start().
        QMetaObject::invokeMethod(
            this, [this, detail] { finish(State::NoSessionBus, detail); }, Qt::QueuedConnection);
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(secretsService, secretsPath,
        QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("ReadAlias"));
    call << QStringLiteral("default");
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, m_timeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, &SecretServiceProbe::onDefaultAlias);
}

void SecretServiceProbe::cancel()
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    // Deleting the watchers (our children) with us drops any answer still on its way.
    deleteLater();
}

void SecretServiceProbe::onDefaultAlias(QDBusPendingCallWatcher *watcher)
{
    watcher->deleteLater();
    const QDBusPendingReply<QDBusObjectPath> reply = *watcher;
    if (reply.isError()) {
        finish(meansNoService(reply.error()) ? State::NoService : State::Unknown, describe(reply.error()));
        return;
    }
    const QString collection = reply.value().path();
    if (collection.isEmpty() || collection == QLatin1String("/")) {
        finish(State::NoDefaultCollection, QStringLiteral("the Secret Service has no default collection"));
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(
        secretsService, collection, QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    call << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    auto *next = new QDBusPendingCallWatcher(m_bus.asyncCall(call, m_timeoutMs), this);
    connect(next, &QDBusPendingCallWatcher::finished, this, &SecretServiceProbe::onLockedProperty);
}

void SecretServiceProbe::onLockedProperty(QDBusPendingCallWatcher *watcher)
{
    watcher->deleteLater();
    const QDBusPendingReply<QDBusVariant> reply = *watcher;
    if (reply.isError()) {
        finish(meansNoService(reply.error()) ? State::NoService : State::Unknown, describe(reply.error()));
        return;
    }
    const bool locked = reply.value().variant().toBool();
    finish(locked ? State::Locked : State::Unlocked,
        locked ? QStringLiteral("the default collection is locked")
               : QStringLiteral("the default collection is unlocked"));
}

void SecretServiceProbe::finish(State state, const QString &detail)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_state = state;
    m_detail = detail;
    qCDebug(lcSecrets) << "Secret Service probe:" << stateName(state) << detail;
    Q_EMIT finished(state, detail);
    deleteLater();
}

QString SecretServiceProbe::stateName(State state)
{
    switch (state) {
    case State::NoSessionBus:
        return QStringLiteral("no session bus");
    case State::NoService:
        return QStringLiteral("no Secret Service");
    case State::NoDefaultCollection:
        return QStringLiteral("no default collection");
    case State::Locked:
        return QStringLiteral("locked");
    case State::Unlocked:
        return QStringLiteral("unlocked");
    case State::Unknown:
        return QStringLiteral("unknown");
    }
    return {};
}

} // namespace codalab::secrets
