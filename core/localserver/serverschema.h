// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QString>

namespace codalab::localserver {

/// The local server's SQLite schema and its migrations, one step per version, each in the transaction its
/// caller opens. Version 1: users, tokens, worksheets with bundle items, bundles, dependencies. Version 2
/// (what the `cl` CLI's everyday commands read): user profile fields, quotas and last login; worksheet tags,
/// frozen, anonymity and dates; worksheet items of every kind (markup, directive, bundle, worksheet) with
/// sort keys.
class ServerSchema
{
public:
    ServerSchema() = delete;

    static constexpr int Version = 2;
    /// Brings the database from `from` to Version; false and *error on the first failing statement.
    static bool upgrade(QSqlDatabase &db, int from, QString *error);
};

} // namespace codalab::localserver
