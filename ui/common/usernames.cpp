// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/usernames.h"

#include "server/apijob.h"
#include "server/codalabclient.h"

#include <QJsonArray>
#include <QJsonObject>

namespace codalab::ui {

UserNames::UserNames(server::CodaLabClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{ }

UserNames::~UserNames()
{
    clear();
}

void UserNames::clear()
{
    for (const QPointer<server::ApiJob> &job : std::as_const(m_jobs)) {
        if (job) {
            job->cancel(); // its answer is for a server that is no longer asked
        }
    }
    m_jobs.clear();
    m_names.clear();
    m_failed.clear();
}

void UserNames::insert(const QString &id, const QString &name)
{
    if (!id.isEmpty() && !name.isEmpty() && m_names.value(id) != name) {
        m_names.insert(id, name);
        Q_EMIT resolved(id, name);
    }
}

QString UserNames::nameOf(const QString &id)
{
    if (const auto it = m_names.constFind(id); it != m_names.constEnd()) {
        return it.value();
    }
    if (id.isEmpty() || !m_client || m_failed.contains(id) || m_jobs.value(id)) {
        return {};
    }
    // Once per id: a server without the user says so once, not on every status.
    server::ApiJob *job = m_client->user(id);
    m_jobs.insert(id, job);
    connect(job, &server::ApiJob::finished, this, [this, id](const server::ApiResult &r) {
        m_jobs.remove(id);
        const QJsonValue data = r.json.object().value(QLatin1String("data"));
        const QJsonObject user = data.isArray() ? data.toArray().first().toObject() : data.toObject();
        const QString name
            = user.value(QLatin1String("attributes")).toObject().value(QLatin1String("user_name")).toString();
        if (r.ok() && !name.isEmpty()) {
            insert(id, name);
        } else {
            m_failed.insert(id);
            Q_EMIT resolved(id, QString());
        }
    });
    return {};
}

} // namespace codalab::ui
