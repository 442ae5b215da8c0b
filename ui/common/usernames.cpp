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

void UserNames::setClient(server::CodaLabClient *client)
{
    m_client = client;
    m_names.clear();
    m_asked.clear();
    Q_EMIT changed();
}

void UserNames::insert(const QString &id, const QString &name)
{
    if (!id.isEmpty() && !name.isEmpty() && m_names.value(id) != name) {
        m_names.insert(id, name);
        Q_EMIT changed();
    }
}

QString UserNames::name(const QString &id)
{
    if (const auto it = m_names.constFind(id); it != m_names.constEnd()) {
        return it.value();
    }
    if (id.isEmpty() || !m_client || m_asked.contains(id)) {
        return id;
    }
    m_asked.insert(id); // once: a server without the user says so once, not on every status
    server::ApiJob *job = m_client->user(id);
    connect(job, &server::ApiJob::finished, this, [this, id](const server::ApiResult &r) {
        const QJsonValue data = r.json.object().value(QLatin1String("data"));
        const QJsonObject user = data.isArray() ? data.toArray().first().toObject() : data.toObject();
        const QString name
            = user.value(QLatin1String("attributes")).toObject().value(QLatin1String("user_name")).toString();
        if (r.ok() && !name.isEmpty()) {
            insert(id, name);
        }
    });
    return id;
}

} // namespace codalab::ui
