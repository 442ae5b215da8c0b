// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace codalab::server {
class ApiJob;
class CodaLabClient;
} // namespace codalab::server

namespace codalab::ui {

/// User names for the user ids the worker reports (a run's owner_id is "0" on a local server): asked once
/// per id from the server (GET /rest/users/<id>) and kept, so a table can show "codalab" and not "0".
///
/// Usage: construct over the session's client; nameOf(id) answers at once from what is known (empty while
/// it is looked up, and for good when the server would not name the user: hasFailed()) and starts one
/// lookup for an unknown id; resolved() fires when a name arrives. clear() forgets every
/// name, for a session with another server.
class UserNames : public QObject
{
    Q_OBJECT
public:
    explicit UserNames(server::CodaLabClient *client = nullptr, QObject *parent = nullptr);

    ~UserNames() override;

    void clear();
    /// Known already (the logged-in user, from the login): no lookup needed.
    void insert(const QString &id, const QString &name);
    /// The name when known; empty until then, and for good when the server has no such user.
    QString nameOf(const QString &id);
    /// Whether the server refused to name this user (the id is all there is).
    bool hasFailed(const QString &id) const { return m_failed.contains(id); }

Q_SIGNALS:
    void resolved(const QString &id, const QString &name);

private:
    QPointer<server::CodaLabClient> m_client;
    QHash<QString, QString> m_names;
    QHash<QString, QPointer<server::ApiJob>> m_jobs;
    QSet<QString> m_failed;
};

} // namespace codalab::ui
