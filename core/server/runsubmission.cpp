// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/runsubmission.h"

#include "server/codalabclient.h"

#include <QJsonArray>
#include <QJsonObject>
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

void RunSubmission::create()
{
    connect(
        m_client->createRun(m_request, m_worksheetUuid), &ApiJob::finished, this, [this](const ApiResult &r) {
            if (r.ok()) {
                m_uuid = firstId(r);
            }
            Q_EMIT finished(r);
            deleteLater();
        });
}

void RunSubmission::fail(const ApiError &error)
{
    Q_EMIT finished(ApiResult { error, error.httpStatus, {}, {}, {}, 0 });
    deleteLater();
}

} // namespace codalab::server
