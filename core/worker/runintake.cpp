// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/runintake.h"

#include "server/apijob.h"
#include "server/workerapi.h"

#include <QDateTime>

namespace codalab::worker {

RunIntake::RunIntake(server::WorkerApi *api, QString hostname, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_hostname(std::move(hostname))
{ }

bool RunIntake::offer(const QJsonObject &message, QString *uuid, QString *why)
{
    auto record = RunRecord::fromRunMessage(message, why);
    if (!record) {
        return false;
    }
    *uuid = record->uuid;
    if (m_starting.contains(record->uuid)) {
        *why = QStringLiteral("already being started");
        return false;
    }
    m_starting.insert(record->uuid);
    const qint64 startTime = QDateTime::currentSecsSinceEpoch();
    server::ApiJob *job = m_api->startBundle(record->uuid, m_hostname, startTime);
    connect(job, &server::ApiJob::finished, this,
        [this, rec = *record, startTime](const server::ApiResult &r) mutable {
            m_starting.remove(rec.uuid);
            // The answer is JSON true/false, which QJsonDocument cannot hold; read the raw body.
            if (!r.ok() || r.body.trimmed() != "true") {
                Q_EMIT declined(
                    rec.uuid, r.ok() ? QStringLiteral("no longer assigned to this worker") : r.error.message);
                return;
            }
            rec.bundleStartTime = startTime;
            Q_EMIT confirmed(rec);
        });
    return true;
}

} // namespace codalab::worker
