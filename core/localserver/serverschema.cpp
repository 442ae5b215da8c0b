// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/serverschema.h"

#include <QSqlError>
#include <QSqlQuery>

namespace codalab::localserver {

namespace {

const char *const schemaV1[] = {
    "CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, password_hash BLOB NOT NULL,"
    " salt BLOB NOT NULL, is_root INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL)",
    "CREATE TABLE tokens (access_token TEXT PRIMARY KEY, refresh_token TEXT UNIQUE NOT NULL,"
    " client_id TEXT NOT NULL, user_id TEXT NOT NULL REFERENCES users(id), expires_at INTEGER NOT NULL)",
    "CREATE TABLE worksheets (uuid TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
    " title TEXT NOT NULL DEFAULT '', owner_id TEXT NOT NULL REFERENCES users(id))",
    "CREATE TABLE worksheet_items (id INTEGER PRIMARY KEY AUTOINCREMENT, worksheet_uuid TEXT NOT NULL"
    " REFERENCES worksheets(uuid), bundle_uuid TEXT NOT NULL)",
    "CREATE TABLE bundles (seq INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT UNIQUE NOT NULL,"
    " bundle_type TEXT NOT NULL, owner_id TEXT NOT NULL, command TEXT, state TEXT NOT NULL,"
    " metadata TEXT NOT NULL, frozen INTEGER, is_anonymous INTEGER NOT NULL DEFAULT 0,"
    " worker_id TEXT, worker_user_id TEXT, state_changed INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX bundles_state ON bundles(state)",
    "CREATE TABLE dependencies (child_uuid TEXT NOT NULL, child_path TEXT NOT NULL,"
    " parent_uuid TEXT NOT NULL, parent_path TEXT NOT NULL, PRIMARY KEY (child_uuid, child_path))",
    "CREATE INDEX dependencies_parent ON dependencies(parent_uuid)",
};

// Columns added with defaults keep every row of version 1 valid; worksheet_items is rebuilt because its
// bundle_uuid was NOT NULL, which text, directive and worksheet items cannot satisfy.
const char *const schemaV2[] = {
    "ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE users ADD COLUMN first_name TEXT",
    "ALTER TABLE users ADD COLUMN last_name TEXT",
    "ALTER TABLE users ADD COLUMN affiliation TEXT",
    "ALTER TABLE users ADD COLUMN url TEXT",
    "ALTER TABLE users ADD COLUMN avatar_id TEXT",
    "ALTER TABLE users ADD COLUMN notifications INTEGER NOT NULL DEFAULT 2",
    "ALTER TABLE users ADD COLUMN last_login INTEGER",
    "ALTER TABLE users ADD COLUMN time_quota INTEGER",
    "ALTER TABLE users ADD COLUMN disk_quota INTEGER",
    "ALTER TABLE users ADD COLUMN parallel_run_quota INTEGER",
    "ALTER TABLE worksheets ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE worksheets ADD COLUMN frozen INTEGER",
    "ALTER TABLE worksheets ADD COLUMN is_anonymous INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE worksheets ADD COLUMN date_created INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE worksheets ADD COLUMN date_last_modified INTEGER NOT NULL DEFAULT 0",
    "UPDATE worksheets SET date_created = CAST(strftime('%s', 'now') AS INTEGER),"
    " date_last_modified = CAST(strftime('%s', 'now') AS INTEGER)",
    "CREATE TABLE worksheet_items_v2 (id INTEGER PRIMARY KEY AUTOINCREMENT, worksheet_uuid TEXT NOT NULL"
    " REFERENCES worksheets(uuid), type TEXT NOT NULL, value TEXT NOT NULL DEFAULT '', bundle_uuid TEXT,"
    " subworksheet_uuid TEXT, sort_key INTEGER)",
    "INSERT INTO worksheet_items_v2 (id, worksheet_uuid, type, bundle_uuid)"
    " SELECT id, worksheet_uuid, 'bundle', bundle_uuid FROM worksheet_items",
    "DROP TABLE worksheet_items",
    "ALTER TABLE worksheet_items_v2 RENAME TO worksheet_items",
    "CREATE INDEX worksheet_items_worksheet ON worksheet_items(worksheet_uuid)",
    "CREATE INDEX worksheet_items_bundle ON worksheet_items(bundle_uuid)",
    "CREATE INDEX worksheet_items_subworksheet ON worksheet_items(subworksheet_uuid)",
};

template<std::size_t N> bool runAll(QSqlQuery &q, const char *const (&statements)[N], QString *error)
{
    for (const char *statement : statements) {
        if (!q.exec(QString::fromLatin1(statement))) {
            *error
                = QStringLiteral("Schema: %1 (in: %2)").arg(q.lastError().text(), QLatin1String(statement));
            return false;
        }
    }
    return true;
}

} // namespace

bool ServerSchema::upgrade(QSqlDatabase &db, int from, QString *error)
{
    QSqlQuery q(db);
    if (from < 1 && !runAll(q, schemaV1, error)) {
        return false;
    }
    if (from < 2 && !runAll(q, schemaV2, error)) {
        return false;
    }
    return q.exec(QStringLiteral("PRAGMA user_version = %1").arg(Version));
}

} // namespace codalab::localserver
