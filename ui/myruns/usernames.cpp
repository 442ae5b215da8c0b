// SPDX-License-Identifier: GPL-3.0-or-later
#include "myruns/usernames.h"

#include "server/apijob.h"
#include "server/codalabclient.h"
#include "server/serverconnection.h"

#include <QJsonObject>
#include <QUrl>

namespace codalab::ui {

UserNames::UserNames(server::CodaLabClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{ }

UserNames::~UserNames()
{
    clear();
}

QString UserNames::nameOf(const QString &id)
{
    if (id.isEmpty()) {
        return {};
    }
    if (const auto it = m_names.constFind(id); it != m_names.constEnd()) {
        return *it;
    }
    if (m_jobs.contains(id) || m_failed.contains(id)) {
        return {}; // asked once already
    }
    // CodaLabClient has no call for one user; the connection builds the request as for any other call.
    server::ApiJob *job = m_client->connection()->getJson(
        QStringLiteral("/users/") + QString::fromLatin1(QUrl::toPercentEncoding(id)));
    m_jobs.insert(id, job);
    connect(job, &server::ApiJob::finished, this, [this, id](const server::ApiResult &result) {
        m_jobs.remove(id);
        const QString name = result.json.object()
                                 .value(QLatin1String("data"))
                                 .toObject()
                                 .value(QLatin1String("attributes"))
                                 .toObject()
                                 .value(QLatin1String("user_name"))
                                 .toString();
        if (!result.ok() || name.isEmpty()) {
            m_failed.insert(id);
            return;
        }
        m_names.insert(id, name);
        Q_EMIT resolved(id, name);
    });
    return {};
}

void UserNames::clear()
{
    for (const QPointer<server::ApiJob> &job : std::as_const(m_jobs)) {
        if (job) {
            disconnect(job, nullptr, this, nullptr);
            job->cancel();
        }
    }
    m_jobs.clear();
    m_names.clear();
    m_failed.clear();
}

} // namespace codalab::ui
