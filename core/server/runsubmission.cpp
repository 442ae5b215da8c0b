// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/runsubmission.h"

#include "server/bundlestate.h"
#include "server/bundleupload.h"
#include "server/codalabclient.h"
#include "server/serverconnection.h"
#include "server/uploadcache.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QThreadPool>
#include <QTimer>

namespace codalab::server {

namespace {
/// The id of the first resource in a JSON:API list answer.
QString firstId(const ApiResult &r)
{
    return r.json.object()
        .value(QLatin1String("data"))
        .toArray()
        .first()
        .toObject()
        .value(QLatin1String("id"))
        .toString();
}
} // namespace

RunSubmission::RunSubmission(CodaLabClient *client, RunRequest request, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_request(std::move(request))
{ }

void RunSubmission::start()
{
    const QStringList problems = m_request.validate();
    if (!problems.isEmpty()) {
        // Nothing is sent for an invalid request; report it from the event loop like any other outcome.
        QTimer::singleShot(0, this, [this, problems] {
            fail(ApiError::make(ApiError::Kind::Client, problems.join(QLatin1Char('\n'))));
        });
        return;
    }
    connect(m_client->worksheet(m_request.worksheet.isEmpty() ? QStringLiteral("/") : m_request.worksheet),
        &ApiJob::finished, this, [this](const ApiResult &r) {
            if (!r.ok()) {
                fail(r.error);
                return;
            }
            m_worksheetUuid = firstId(r);
            resolveNext(0);
        });
}

void RunSubmission::resolveNext(int index)
{
    if (index >= m_request.dependencies.size()) {
        create();
        return;
    }
    RunRequest::Dependency &d = m_request.dependencies[index];
    if (!d.parentUuid.isEmpty()) {
        resolveNext(index + 1);
        return;
    }
    if (RunRequest::isLocalTarget(d.target)) {
        uploadLocal(index);
        return;
    }
    // "ws//bundle/sub": the bundle spec is resolved on its own worksheet, else on the run's.
    QString bundleAndPath = d.target;
    QString worksheetSpec;
    if (d.target.contains(QLatin1String("//"))) {
        worksheetSpec = d.target.section(QLatin1String("//"), 0, 0);
        bundleAndPath = d.target.section(QLatin1String("//"), 1);
    }
    const QString spec = bundleAndPath.section(QLatin1Char('/'), 0, 0);
    const auto resolveOn = [this, index, spec](const QString &worksheetUuid) {
        connect(m_client->resolveBundles({ spec }, worksheetUuid), &ApiJob::finished, this,
            [this, index](const ApiResult &r) {
                if (!r.ok()) {
                    ApiError e = r.error;
                    e.message = QStringLiteral("Dependency %1: %2")
                                    .arg(m_request.dependencies[index].key, e.message);
                    fail(e);
                    return;
                }
                m_request.dependencies[index].parentUuid = firstId(r);
                resolveNext(index + 1);
            });
    };
    if (worksheetSpec.isEmpty()) {
        resolveOn(m_worksheetUuid);
        return;
    }
    connect(
        m_client->worksheet(worksheetSpec), &ApiJob::finished, this, [this, resolveOn](const ApiResult &r) {
            if (!r.ok()) {
                fail(r.error);
                return;
            }
            resolveOn(firstId(r));
        });
}

void RunSubmission::uploadLocal(int index)
{
    const QString path = m_request.dependencies[index].target;
    if (!m_cache) {
        sendLocal(index, {});
        return;
    }
    // Walking a big folder's entries takes a while: off this thread.
    QPointer<RunSubmission> self(this);
    QThreadPool::globalInstance()->start([self, index, path] {
        const QString digest = UploadCache::digestOf(path);
        QMetaObject::invokeMethod(
            qApp,
            [self, index, path, digest] {
                if (!self || self->m_cancelled) {
                    return;
                }
                const QString known = digest.isEmpty()
                    ? QString()
                    : self->m_cache->lookup(self->m_client->connection()->serverUrl().toString(), digest);
                if (known.isEmpty()) {
                    self->sendLocal(index, digest);
                    return;
                }
                // Sent before: still there, and whole?
                connect(self->m_client->bundle(known), &ApiJob::finished, self,
                    [self, index, known, digest](const ApiResult &r) {
                        const QString state = r.json
                                                  .object()[QLatin1String("data")][QLatin1String(
                                                      "attributes")][QLatin1String("state")]
                                                  .toString();
                        if (r.ok() && state == BundleState::Ready) {
                            self->m_request.dependencies[index].parentUuid = known;
                            Q_EMIT self->uploaded(self->m_request.dependencies[index].key, known, true);
                            self->resolveNext(index + 1);
                            return;
                        }
                        self->m_cache->forget(self->m_client->connection()->serverUrl().toString(), digest);
                        self->sendLocal(index, digest);
                    });
            },
            Qt::QueuedConnection);
    });
}

void RunSubmission::sendLocal(int index, const QString &digest)
{
    const RunRequest::Dependency d = m_request.dependencies[index];
    UploadRequest request;
    request.paths = { d.target };
    request.worksheetUuid = m_worksheetUuid;
    request.description = QStringLiteral("Uploaded from %1 for %2").arg(d.target, m_request.effectiveName());
    m_upload = new BundleUpload(m_client->connection(), request, this);
    connect(m_upload, &BundleUpload::progress, this,
        [this, key = d.key](qint64 read, qint64 total) { Q_EMIT uploadProgress(key, read, total); });
    connect(m_upload, &BundleUpload::finished, this, [this, index, digest, d](const UploadResult &result) {
        if (m_done) {
            return;
        }
        if (!result.ok) {
            fail(ApiError::make(result.cancelled ? ApiError::Kind::Cancelled : ApiError::Kind::Client,
                QStringLiteral("Dependency %1: %2").arg(d.key, result.error)));
            return;
        }
        m_upload = nullptr;
        m_request.dependencies[index].parentUuid = result.bundleUuid;
        if (m_cache && !digest.isEmpty()) {
            m_cache->remember(
                m_client->connection()->serverUrl().toString(), digest, result.bundleUuid, d.target);
        }
        Q_EMIT uploaded(d.key, result.bundleUuid, false);
        resolveNext(index + 1);
    });
    m_upload->start();
}

bool RunSubmission::cancel()
{
    if (m_done || m_creating) {
        return false;
    }
    m_cancelled = true;
    if (m_upload) {
        m_upload->cancel(); // its finished() then ends this as cancelled
        return true;
    }
    fail(ApiError::make(ApiError::Kind::Cancelled, QStringLiteral("Cancelled")));
    return true;
}

void RunSubmission::create()
{
    m_creating = true;
    connect(
        m_client->createRun(m_request, m_worksheetUuid), &ApiJob::finished, this, [this](const ApiResult &r) {
            if (r.ok()) {
                m_uuid = firstId(r);
            }
            m_done = true;
            Q_EMIT finished(r);
            deleteLater();
        });
}

void RunSubmission::fail(const ApiError &error)
{
    if (m_done) {
        return;
    }
    m_done = true;
    Q_EMIT finished(ApiResult { error, error.httpStatus, {}, {}, {}, 0 });
    deleteLater();
}

} // namespace codalab::server
