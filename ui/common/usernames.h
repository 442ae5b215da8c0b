// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace codalab::server {
class CodaLabClient;
}

namespace codalab::ui {

/// User names for the user ids the worker reports (a run's owner_id is "0" on a local server): asked once
/// per id from the server (GET /rest/users/<id>) and kept, so a table can show "codalab" and not "0".
///
/// Usage: construct over the session's client (or none: ids stay ids); name(id) answers at once from
/// what is known and starts a lookup for an unknown id; changed() fires when a name arrives. setClient()
/// on a new session forgets every name.
class UserNames : public QObject
{
    Q_OBJECT
public:
    explicit UserNames(server::CodaLabClient *client = nullptr, QObject *parent = nullptr);

    void setClient(server::CodaLabClient *client);
    /// Known already (the logged-in user, from the login): no lookup needed.
    void insert(const QString &id, const QString &name);
    /// The name when known; the id itself until then (and for good when the server has no such user).
    QString name(const QString &id);

Q_SIGNALS:
    void changed();

private:
    QPointer<server::CodaLabClient> m_client;
    QHash<QString, QString> m_names;
    QSet<QString> m_asked;
};

} // namespace codalab::ui
