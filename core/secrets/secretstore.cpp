// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/secretstore.h"

namespace codalab::secrets {

QString SecretStore::defaultServiceName()
{
    return QStringLiteral("CodaLab Desktop");
}

SecretStore::SecretStore(QObject *parent)
    : SecretStore(defaultServiceName(), DefaultRetryDelay, parent)
{ }

SecretStore::SecretStore(const QString &serviceName, std::chrono::milliseconds retryDelay, QObject *parent)
    : QObject(parent)
    , m_serviceName(serviceName)
    , m_retryDelay(retryDelay)
{ }

SecretJob *SecretStore::read(const SecretKey &key)
{
    return startJob(SecretResult::Operation::Read, key, {}, true);
}

SecretJob *SecretStore::write(const SecretKey &key, const QString &secret)
{
    return startJob(SecretResult::Operation::Write, key, secret, true);
}

SecretJob *SecretStore::remove(const SecretKey &key)
{
    return startJob(SecretResult::Operation::Remove, key, {}, true);
}

SecretJob *SecretStore::retry(const SecretResult &failed, const QString &secret)
{
    // The user asked: answer now, and leave waiting for a slow keyring to the first try.
    return startJob(failed.operation, failed.key,
        failed.operation == SecretResult::Operation::Write ? secret : QString(), false);
}

SecretJob *SecretStore::startJob(
    SecretResult::Operation operation, const SecretKey &key, const QString &secret, bool automaticRetry)
{
    auto *job = new SecretJob(operation, key, secret, m_serviceName, m_retryDelay, automaticRetry, this);
    job->start();
    return job;
}

} // namespace codalab::secrets
