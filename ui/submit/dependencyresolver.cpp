// SPDX-License-Identifier: GPL-3.0-or-later
#include "submit/dependencyresolver.h"

#include "server/apijob.h"
#include "server/codalabclient.h"
#include "submit/dependencymodel.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

namespace codalab::ui {

namespace {

QJsonObject firstResource(const server::ApiResult &r)
{
    return r.json.object().value(QLatin1String("data")).toArray().first().toObject();
}

/// A missing bundle or worksheet marks the row; a server that cannot be asked leaves it to the submission.
DependencyModel::Lookup failureKind(const server::ApiResult &r)
{
    return r.error.kind == server::ApiError::Kind::Client ? DependencyModel::Lookup::NotFound
                                                          : DependencyModel::Lookup::Unchecked;
}

} // namespace

DependencyResolver::DependencyResolver(server::CodaLabClient *client, DependencyModel *model, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_model(model)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(400);
    connect(&m_debounce, &QTimer::timeout, this, &DependencyResolver::lookUp);
    connect(m_model, &DependencyModel::changed, this, [this] {
        // A row edited while its lookup was in flight is pending again: that answer would be dropped by
        // the model anyway, so stop asking now.
        for (const DependencyModel::LookupRequest &l : m_model->lookups()) {
            if (const QPointer<server::ApiJob> stale = m_bundleJobs.take(l.rowId)) {
                stale->cancel();
            }
        }
        m_debounce.start();
    });
}

DependencyResolver::~DependencyResolver()
{
    for (const auto &job : std::as_const(m_bundleJobs)) {
        if (job) {
            job->cancel();
        }
    }
    for (const auto &job : std::as_const(m_worksheetJobs)) {
        if (job) {
            job->cancel();
        }
    }
}

void DependencyResolver::setWorksheet(const QString &spec)
{
    const QString trimmed = spec.trimmed();
    if (trimmed == m_worksheet) {
        return;
    }
    m_worksheet = trimmed;
    for (const auto &job : std::as_const(m_bundleJobs)) {
        if (job) {
            job->cancel();
        }
    }
    m_bundleJobs.clear();
    m_model->invalidateLookups();
    m_debounce.start();
}

bool DependencyResolver::isBusy() const
{
    if (m_debounce.isActive()) {
        return true;
    }
    for (const auto &job : std::as_const(m_bundleJobs)) {
        if (job) {
            return true;
        }
    }
    for (const auto &job : std::as_const(m_worksheetJobs)) {
        if (job) {
            return true;
        }
    }
    return false;
}

QString DependencyResolver::worksheetUuid(const QString &spec)
{
    if (const auto it = m_worksheetUuids.constFind(spec); it != m_worksheetUuids.constEnd()) {
        return it.value();
    }
    if (!m_worksheetJobs.value(spec)) {
        server::ApiJob *job = m_client->worksheet(spec);
        m_worksheetJobs.insert(spec, job);
        connect(job, &server::ApiJob::finished, this,
            [this, spec](const server::ApiResult &r) { onWorksheet(spec, r); });
    }
    return {};
}

void DependencyResolver::onWorksheet(const QString &spec, const server::ApiResult &result)
{
    m_worksheetJobs.remove(spec);
    const QString uuid = firstResource(result).value(QLatin1String("id")).toString();
    if (result.ok() && !uuid.isEmpty()) {
        m_worksheetUuids.insert(spec, uuid);
        lookUp();
        return;
    }
    // Every row waiting for this worksheet learns why it cannot be resolved.
    const QString message = result.ok() ? tr("No worksheet found: %1").arg(spec) : result.error.message;
    const QString home = m_worksheet.isEmpty() ? QStringLiteral("/") : m_worksheet;
    for (const DependencyModel::LookupRequest &l : m_model->lookups()) {
        const QString wanted
            = l.target.contains(QLatin1String("//")) ? l.target.section(QLatin1String("//"), 0, 0) : home;
        if (wanted == spec) {
            m_model->setLookupResult(l.rowId, l.revision,
                result.ok() ? DependencyModel::Lookup::NotFound : failureKind(result), {}, {}, message);
        }
    }
    finishIfIdle();
}

void DependencyResolver::lookUp()
{
    const QString home = m_worksheet.isEmpty() ? QStringLiteral("/") : m_worksheet;
    for (const DependencyModel::LookupRequest &l : m_model->lookups()) {
        QString bundleAndPath = l.target;
        QString worksheetSpec = home;
        if (l.target.contains(QLatin1String("//"))) {
            worksheetSpec = l.target.section(QLatin1String("//"), 0, 0);
            bundleAndPath = l.target.section(QLatin1String("//"), 1);
        }
        const QString worksheet = worksheetUuid(worksheetSpec);
        if (worksheet.isEmpty()) {
            continue; // looked up again once the worksheet is known
        }
        if (const QPointer<server::ApiJob> old = m_bundleJobs.value(l.rowId)) {
            old->cancel();
        }
        const QString spec = bundleAndPath.section(QLatin1Char('/'), 0, 0);
        server::ApiJob *job = m_client->resolveBundles({ spec }, worksheet);
        m_bundleJobs.insert(l.rowId, job);
        m_model->setLookupResult(l.rowId, l.revision, DependencyModel::Lookup::Resolving);
        connect(job, &server::ApiJob::finished, this, [this, l, spec, worksheet](const server::ApiResult &r) {
            m_bundleJobs.remove(l.rowId);
            const QJsonObject bundle = firstResource(r);
            if (r.ok() && !bundle.isEmpty()) {
                const QString uuid = bundle.value(QLatin1String("id")).toString();
                const QString name = bundle.value(QLatin1String("attributes"))
                                         .toObject()
                                         .value(QLatin1String("metadata"))
                                         .toObject()
                                         .value(QLatin1String("name"))
                                         .toString();
                m_model->setLookupResult(l.rowId, l.revision, DependencyModel::Lookup::Resolved, uuid, name);
                checkShared(l, spec, worksheet, uuid, name);
            } else {
                // The server says it its own way ("bundle spec x doesn't match any bundles"); a name that
                // is not there is said the same way whichever server answered.
                const bool missing = r.ok() || r.error.httpStatus == 404;
                m_model->setLookupResult(l.rowId, l.revision,
                    r.ok() ? DependencyModel::Lookup::NotFound : failureKind(r), {}, {},
                    missing ? tr("No bundle found with name %1").arg(spec) : r.error.message);
            }
            finishIfIdle();
        });
    }
    finishIfIdle();
}

void DependencyResolver::checkShared(const DependencyModel::LookupRequest &l, const QString &spec,
    const QString &worksheet, const QString &uuid, const QString &name)
{
    // A plain name resolves to the newest bundle of that name, as cl run does; "name^2" is the one before
    // it, so an answer means the name is shared and the user should hear which one the run gets.
    static const QRegularExpression plainName(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_.\\-]*$"));
    if (!plainName.match(spec).hasMatch()) {
        return;
    }
    server::ApiJob *job = m_client->resolveBundles({ spec + QStringLiteral("^2") }, worksheet);
    m_bundleJobs.insert(l.rowId, job);
    connect(job, &server::ApiJob::finished, this, [this, l, uuid, name](const server::ApiResult &r) {
        m_bundleJobs.remove(l.rowId);
        const QJsonObject older = firstResource(r);
        if (r.ok() && !older.isEmpty()) {
            m_model->setLookupResult(l.rowId, l.revision, DependencyModel::Lookup::Resolved, uuid, name,
                tr("several bundles are named %1: this is the newest; the one before is %2 (use a uuid to "
                   "pick another)")
                    .arg(name, older.value(QLatin1String("id")).toString().left(10) + QStringLiteral("…")));
        }
        finishIfIdle();
    });
}

void DependencyResolver::finishIfIdle()
{
    if (!isBusy()) {
        Q_EMIT finished();
    }
}

} // namespace codalab::ui
