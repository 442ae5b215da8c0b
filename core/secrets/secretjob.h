// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/secretresult.h"
#include "secrets/secretserviceprobe.h"

#include <QObject>
#include <QPointer>

#include <chrono>

class QTimer;

namespace codalab::secrets {

/// The handle of one SecretStore call (read, write or remove of one key), living on the caller's thread.
///
/// Usage: connect to finished(); it is emitted exactly once, never from within the call that created the
/// job, and the job deletes itself afterwards. When the keyring is not answering yet (QtKeychain's
/// NoBackendAvailable or OtherError, e.g. the keyring daemon is still starting with the session) the job
/// tries once more after the store's retry delay and emits retrying() first. A failure is classified with a
/// SecretServiceProbe, so "no keyring", "locked keyring" and "nothing saved" are told apart. cancel() stops
/// the job: nothing more is emitted (a cancelled call is never reported as a failure) and the job is
/// deleted; a write the keyring already received may still complete.
class SecretJob : public QObject
{
    Q_OBJECT
public:
    using Operation = SecretResult::Operation;

    /// Made by SecretStore. `retryDelay` is the wait before the one automatic retry; automaticRetry false
    /// makes a single attempt.
    SecretJob(Operation operation, const SecretKey &key, const QString &secret, const QString &serviceName,
        std::chrono::milliseconds retryDelay, bool automaticRetry, QObject *parent);
    ~SecretJob() override;

    Operation operation() const { return m_result.operation; }
    const SecretKey &key() const { return m_result.key; }
    bool isFinished() const { return m_finished; }
    const SecretResult &result() const { return m_result; }

    /// Called once by SecretStore; the first keyring attempt starts from the event loop.
    void start();
    void cancel();

Q_SIGNALS:
    /// The keyring was not answering; the job tries again in delayMs.
    void retrying(int delayMs);
    void finished(const codalab::secrets::SecretResult &result);

private:
    void attempt();
    void onKeychainFinished(QObject *keychainJob);
    void classifyWithProbe(SecretError::Kind fallback, const QString &detail);
    void onProbeFinished(SecretServiceProbe::State state, const QString &probeDetail);
    void finish(SecretError error);

    QString m_serviceName;
    QString m_secret; ///< what a write stores; cleared when the job ends
    std::chrono::milliseconds m_retryDelay;
    bool m_automaticRetry;
    bool m_started = false;
    bool m_finished = false;
    SecretResult m_result;
    QTimer *m_retryTimer;
    QPointer<QObject> m_keychainJob;
    QPointer<SecretServiceProbe> m_probe;
    SecretError::Kind m_fallbackKind = SecretError::Kind::Other;
    QString m_fallbackDetail;
};

} // namespace codalab::secrets
