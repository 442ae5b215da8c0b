// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDBusConnection>
#include <QObject>

class QDBusPendingCallWatcher;

namespace codalab::secrets {

/// Asks the session bus whether a Secret Service (org.freedesktop.secrets: GNOME Keyring, KWallet's
/// Secret Service, KeePassXC, ...) is there and whether its default collection is unlocked.
///
/// QtKeychain reports "no session bus", "nobody provides org.freedesktop.secrets" and many other failures
/// all as OtherError, and a read from a locked keyring as "entry not found"; SecretJob runs this probe after
/// such an answer to tell the user which of them it was. A UI can run it on its own to show the keyring's
/// state.
///
/// Usage: create, connect to finished(), call start(). finished() is emitted exactly once, never from within
/// start(), and the probe deletes itself afterwards; cancel() stops it silently. Every D-Bus call is
/// asynchronous and gives up after timeoutMs. Asking for the default collection may start (D-Bus activate)
/// the keyring daemon, as any keyring access would.
class SecretServiceProbe : public QObject
{
    Q_OBJECT
public:
    enum class State {
        NoSessionBus, ///< no D-Bus session bus to ask (headless, ssh, container)
        NoService, ///< nothing owns or can start org.freedesktop.secrets
        NoDefaultCollection, ///< a Secret Service without a default collection (nowhere to save)
        Locked, ///< the default collection is locked
        Unlocked, ///< the default collection is unlocked
        Unknown, ///< the service answered with an error this probe does not know
    };
    Q_ENUM(State)

    static constexpr int DefaultTimeoutMs = 5000;

    /// Probes the session bus.
    explicit SecretServiceProbe(QObject *parent = nullptr);
    /// Probes `bus`, e.g. a private bus in tests.
    explicit SecretServiceProbe(const QDBusConnection &bus, QObject *parent = nullptr);

    void setTimeoutMs(int timeoutMs) { m_timeoutMs = timeoutMs; }
    void start();
    void cancel();

    bool isFinished() const { return m_finished; }
    State state() const { return m_state; }
    const QString &detail() const { return m_detail; }

    static QString stateName(State state);

Q_SIGNALS:
    void finished(codalab::secrets::SecretServiceProbe::State state, const QString &detail);

private:
    void onDefaultAlias(QDBusPendingCallWatcher *watcher);
    void onLockedProperty(QDBusPendingCallWatcher *watcher);
    void finish(State state, const QString &detail);

    QDBusConnection m_bus;
    int m_timeoutMs = DefaultTimeoutMs;
    bool m_started = false;
    bool m_finished = false;
    State m_state = State::Unknown;
    QString m_detail;
};

} // namespace codalab::secrets
