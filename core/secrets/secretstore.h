// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/secretjob.h"

#include <QObject>

#include <chrono>

namespace codalab::secrets {

/// The one place secrets (passwords, refresh tokens) are kept: the desktop keyring through QtKeychain
/// (Secret Service: GNOME Keyring, KWallet, KeePassXC, ...), never a file. QtKeychain's insecure plaintext
/// fallback is off; with no keyring a call fails with SecretError::Kind::NoBackend and says so.
///
/// Usage: read(), write() and remove() return a SecretJob at once; connect to its finished() signal (see
/// SecretJob). Each entry is stored under the store's service name and the key "<server>|<user>"
/// (SecretKey), so servers and users never share an entry. A call that finds the keyring not answering tries
/// once more after retryDelay (10 s by default: the keyring daemon may still be starting with the session);
/// after that it fails. To try again when the user asks (a "Try again" button after NoBackend or Locked),
/// call retry() with the failed result: it makes one attempt at once. Jobs are children of the store:
/// deleting the store cancels them. Use the store from the thread it lives in (QtKeychain's libsecret backend
/// needs that thread's event loop).
class SecretStore : public QObject
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds DefaultRetryDelay { 10000 };

    /// "CodaLab Desktop": the keyring's service (libsecret's "server" attribute) for every entry.
    static QString defaultServiceName();

    explicit SecretStore(QObject *parent = nullptr);
    /// `retryDelay` is the wait before the automatic retry; tests pass a short one.
    explicit SecretStore(const QString &serviceName, std::chrono::milliseconds retryDelay = DefaultRetryDelay,
        QObject *parent = nullptr);

    const QString &serviceName() const { return m_serviceName; }
    std::chrono::milliseconds retryDelay() const { return m_retryDelay; }

    SecretJob *read(const SecretKey &key);
    /// Creates or replaces the entry.
    SecretJob *write(const SecretKey &key, const QString &secret);
    /// Succeeds too when nothing was saved under the key.
    SecretJob *remove(const SecretKey &key);
    /// Runs the operation of `failed` again for its key, once and at once (no automatic delayed retry). The
    /// store keeps no secret, so a write is retried with the `secret` passed here.
    SecretJob *retry(const SecretResult &failed, const QString &secret = {});

private:
    SecretJob *startJob(
        SecretResult::Operation operation, const SecretKey &key, const QString &secret, bool automaticRetry);

    QString m_serviceName;
    std::chrono::milliseconds m_retryDelay;
};

} // namespace codalab::secrets
