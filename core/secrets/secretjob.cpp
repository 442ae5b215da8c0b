// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/secretjob.h"

#include "secrets/secretslogging.h"

#include <QTimer>
#include <qt6keychain/keychain.h>

namespace codalab::secrets {

namespace {

QLatin1String operationName(SecretResult::Operation operation)
{
    switch (operation) {
    case SecretResult::Operation::Read:
        return QLatin1String("read");
    case SecretResult::Operation::Write:
        return QLatin1String("write");
    case SecretResult::Operation::Remove:
        return QLatin1String("remove");
    }
    return QLatin1String("?");
}

} // namespace

SecretJob::SecretJob(Operation operation, const SecretKey &key, const QString &secret,
    const QString &serviceName, std::chrono::milliseconds retryDelay, bool automaticRetry, QObject *parent)
    : QObject(parent)
    , m_serviceName(serviceName)
    , m_secret(secret)
    , m_retryDelay(retryDelay)
    , m_automaticRetry(automaticRetry)
    , m_retryTimer(new QTimer(this))
{
    m_result.operation = operation;
    m_result.key = key;
    m_retryTimer->setSingleShot(true);
    // The delay is a promise to the keyring ("give it this long"), not a hint: no coarse early firing.
    m_retryTimer->setTimerType(Qt::PreciseTimer);
    m_retryTimer->setInterval(m_retryDelay);
    connect(m_retryTimer, &QTimer::timeout, this, &SecretJob::attempt);
}

SecretJob::~SecretJob()
{
    // A QtKeychain job still running is left to finish and delete itself (see attempt()); our connection to
    // it goes with us.
}

void SecretJob::start()
{
    if (m_started) {
        return;
    }
    m_started = true;
    if (!m_result.key.isValid()) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                finish(SecretError::make(SecretError::Kind::Other,
                    QStringLiteral("a keyring entry needs a valid server address and a user name")));
            },
            Qt::QueuedConnection);
        return;
    }
    attempt();
}

void SecretJob::cancel()
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_retryTimer->stop();
    if (m_keychainJob) {
        m_keychainJob->disconnect(this);
    }
    if (m_probe) {
        m_probe->cancel();
    }
    m_secret.clear();
    m_result.error = SecretError::make(SecretError::Kind::Cancelled);
    deleteLater();
}

void SecretJob::attempt()
{
    if (m_finished) {
        return;
    }
    ++m_result.attempts;
    QKeychain::Job *job = nullptr;
    switch (m_result.operation) {
    case Operation::Read:
        job = new QKeychain::ReadPasswordJob(m_serviceName);
        break;
    case Operation::Write: {
        auto *write = new QKeychain::WritePasswordJob(m_serviceName);
        write->setTextData(m_secret);
        job = write;
        break;
    }
    case Operation::Remove:
        job = new QKeychain::DeletePasswordJob(m_serviceName);
        break;
    }
    // Parentless and self-deleting on purpose: QtKeychain's libsecret backend holds a raw pointer to the job
    // until the keyring answers, so deleting it early (with us, or on cancel) would crash it later.
    job->setAutoDelete(true);
    // Never a plaintext copy in QSettings: with no keyring the caller is told so instead.
    job->setInsecureFallback(false);
    job->setKey(m_result.key.toString());
    m_keychainJob = job;
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *done) { onKeychainFinished(done); });
    qCDebug(lcSecrets) << "keyring" << operationName(m_result.operation) << m_result.key.toString()
                       << "attempt" << m_result.attempts;
    job->start();
}

void SecretJob::onKeychainFinished(QObject *keychainJob)
{
    m_keychainJob = nullptr;
    auto *job = static_cast<QKeychain::Job *>(keychainJob);
    const QKeychain::Error code = job->error();
    const QString detail = job->errorString();
    if (code == QKeychain::NoError) {
        if (m_result.operation == Operation::Read) {
            m_result.secret = static_cast<QKeychain::ReadPasswordJob *>(job)->textData();
        }
        finish({});
        return;
    }
    // At log-in the application can start before the keyring daemon has registered on the bus; one later
    // try covers that without hammering a keyring that is really missing.
    if ((code == QKeychain::NoBackendAvailable || code == QKeychain::OtherError) && m_automaticRetry
        && m_result.attempts == 1) {
        qCInfo(lcSecrets) << "keyring not answering for" << m_result.key.toString() << "(" << detail
                          << "); trying again in" << m_retryDelay.count() << "ms";
        Q_EMIT retrying(static_cast<int>(m_retryDelay.count()));
        m_retryTimer->start();
        return;
    }
    switch (code) {
    case QKeychain::EntryNotFound:
        if (m_result.operation == Operation::Remove) {
            // Nothing saved is what a removal wants (libsecret itself answers success here).
            finish({});
        } else {
            // libsecret answers a read from a locked keyring, after a prompt that could not be shown, exactly
            // as a missing entry.
            classifyWithProbe(SecretError::Kind::NotFound, detail);
        }
        return;
    case QKeychain::AccessDeniedByUser:
        finish(SecretError::make(SecretError::Kind::AccessDenied, detail));
        return;
    case QKeychain::AccessDenied:
        // libsecret maps its IS_LOCKED error to AccessDenied.
        classifyWithProbe(SecretError::Kind::AccessDenied, detail);
        return;
    case QKeychain::NoBackendAvailable:
        finish(SecretError::make(SecretError::Kind::NoBackend, detail));
        return;
    case QKeychain::OtherError:
        // "No session bus", "nobody provides org.freedesktop.secrets" and "locked collection" all land here.
        classifyWithProbe(SecretError::Kind::Other, detail);
        return;
    default:
        finish(SecretError::make(SecretError::Kind::Other, detail));
        return;
    }
}

void SecretJob::classifyWithProbe(SecretError::Kind fallback, const QString &detail)
{
    m_fallbackKind = fallback;
    m_fallbackDetail = detail;
    m_probe = new SecretServiceProbe(this);
    connect(m_probe, &SecretServiceProbe::finished, this, &SecretJob::onProbeFinished);
    m_probe->start();
}

void SecretJob::onProbeFinished(SecretServiceProbe::State state, const QString &probeDetail)
{
    m_probe = nullptr;
    const QString detail
        = m_fallbackDetail.isEmpty() ? probeDetail : m_fallbackDetail + QLatin1String("; ") + probeDetail;
    switch (state) {
    case SecretServiceProbe::State::NoSessionBus:
    case SecretServiceProbe::State::NoService:
        finish(SecretError::make(SecretError::Kind::NoBackend, detail));
        return;
    case SecretServiceProbe::State::NoDefaultCollection:
    case SecretServiceProbe::State::Locked:
        finish(SecretError::make(SecretError::Kind::Locked, detail));
        return;
    case SecretServiceProbe::State::Unlocked:
    case SecretServiceProbe::State::Unknown:
        finish(SecretError::make(m_fallbackKind, m_fallbackDetail));
        return;
    }
}

void SecretJob::finish(SecretError error)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_secret.clear();
    m_result.error = std::move(error);
    if (m_result.error) {
        qCInfo(lcSecrets) << "keyring" << operationName(m_result.operation) << "of" << m_result.key.toString()
                          << "failed:" << SecretError::kindName(m_result.error.kind) << m_result.error.detail;
    }
    Q_EMIT finished(m_result);
    deleteLater();
}

} // namespace codalab::secrets
