// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>

namespace codalab::server {
class ApiJob;
class CodaLabClient;
} // namespace codalab::server

namespace codalab::ui {

/// User names by user id, each looked up once on the CodaLab server (GET /rest/users/<id>) and kept: a
/// bundle names its owner by id only, and every run in My runs has the same owner, so one request serves
/// the whole list.
///
/// Usage: nameOf(id) answers at once with the name, or empty while it is looked up (or when the server
/// would not say); resolved(id, name) fires when a look-up succeeds. clear() forgets every name, for
/// another account or server.
class UserNames : public QObject
{
    Q_OBJECT
public:
    explicit UserNames(server::CodaLabClient *client, QObject *parent = nullptr);
    ~UserNames() override;

    QString nameOf(const QString &id);
    /// Whether the server refused to name this user (the id is all there is).
    bool hasFailed(const QString &id) const { return m_failed.contains(id); }
    void clear();

Q_SIGNALS:
    void resolved(const QString &id, const QString &name);

private:
    server::CodaLabClient *m_client;
    QHash<QString, QString> m_names;
    QHash<QString, QPointer<server::ApiJob>> m_jobs;
    QSet<QString> m_failed;
};

} // namespace codalab::ui
