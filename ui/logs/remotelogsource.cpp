// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/remotelogsource.h"

#include "server/apijob.h"
#include "server/codalabclient.h"

#include <QJsonObject>

namespace codalab::ui {

RemoteLogSource::RemoteLogSource(server::CodaLabClient *client, QString uuid, QString path, QObject *parent)
    : LogSource(parent)
    , m_client(client)
    , m_uuid(std::move(uuid))
    , m_path(std::move(path))
{ }

RemoteLogSource::~RemoteLogSource()
{
    for (const QPointer<server::ApiJob> &job : std::as_const(m_jobs)) {
        if (job) {
            job->cancel();
        }
    }
}

void RemoteLogSource::track(server::ApiJob *job)
{
    m_jobs.removeAll(nullptr);
    m_jobs.append(job);
}

int RemoteLogSource::requestSize()
{
    const int request = nextRequestId();
    server::ApiJob *job = m_client->contentsInfo(m_uuid, m_path, 0);
    track(job);
    connect(job, &server::ApiJob::finished, this, [this, request](const server::ApiResult &result) {
        if (result.error.httpStatus == 404) {
            Q_EMIT sizeKnown(request, Missing); // not written yet, or the run has not started
            return;
        }
        if (!result.ok()) {
            Q_EMIT failed(request, result.error.message);
            return;
        }
        const QJsonObject data = result.json.object().value(QLatin1String("data")).toObject();
        const QJsonValue size = data.value(QLatin1String("size"));
        if (!size.isDouble()) {
            Q_EMIT failed(request, tr("The server did not say how large %1 is.").arg(m_path));
            return;
        }
        Q_EMIT sizeKnown(request, qint64(size.toDouble()));
    });
    return request;
}

int RemoteLogSource::requestRange(qint64 offset, qint64 length)
{
    const int request = nextRequestId();
    if (length <= 0) {
        // A Range header cannot ask for nothing; answer as a read would, later.
        QMetaObject::invokeMethod(
            this, [this, request, offset]() { Q_EMIT rangeRead(request, offset, {}); }, Qt::QueuedConnection);
        return request;
    }
    server::ApiJob *job = m_client->readRange(m_uuid, m_path, offset, length);
    track(job);
    connect(job, &server::ApiJob::finished, this,
        [this, request, offset, length](const server::ApiResult &result) {
            if (!result.ok()) {
                Q_EMIT failed(request, result.error.message);
                return;
            }
            // A server that ignores Range sends the whole file: keep only what was asked for.
            QByteArray data = result.body;
            if (result.httpStatus == 200 && data.size() > length && result.header("Content-Range").isEmpty()
                && offset > 0) {
                data = data.mid(offset, length);
            }
            Q_EMIT rangeRead(request, offset, data.left(length));
        });
    return request;
}

} // namespace codalab::ui
