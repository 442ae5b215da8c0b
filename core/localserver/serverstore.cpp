// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/serverstore.h"

#include "util/bundleuuid.h"

#include <QCryptographicHash>
#include <QDir>
#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace codalab::localserver {

namespace {

constexpr int Pbkdf2Iterations = 20000;

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, '\0');
    QRandomGenerator::system()->generate(
        reinterpret_cast<quint32 *>(bytes.data()), reinterpret_cast<quint32 *>(bytes.data() + count));
    return bytes;
}

QString randomToken()
{
    return QString::fromLatin1(
        randomBytes(32).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray hashPassword(const QString &password, const QByteArray &salt)
{
    return QPasswordDigestor::deriveKeyPbkdf2(
        QCryptographicHash::Sha256, password.toUtf8(), salt, Pbkdf2Iterations, 32);
}

UserRecord userFrom(const QSqlQuery &q)
{
    return UserRecord { q.value(0).toString(), q.value(1).toString(), q.value(2).toBool() };
}

TokenRecord tokenFrom(const QSqlQuery &q)
{
    return TokenRecord { q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
        q.value(3).toString(), q.value(4).toLongLong() };
}

const char *const schemaV1[] = {
    "CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, password_hash BLOB NOT NULL,"
    " salt BLOB NOT NULL, is_root INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL)",
    "CREATE TABLE tokens (access_token TEXT PRIMARY KEY, refresh_token TEXT UNIQUE NOT NULL,"
    " client_id TEXT NOT NULL, user_id TEXT NOT NULL REFERENCES users(id), expires_at INTEGER NOT NULL)",
    "CREATE TABLE worksheets (uuid TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, title TEXT NOT NULL DEFAULT "
    "'',"
    " owner_id TEXT NOT NULL REFERENCES users(id))",
    "CREATE TABLE worksheet_items (id INTEGER PRIMARY KEY AUTOINCREMENT, worksheet_uuid TEXT NOT NULL"
    " REFERENCES worksheets(uuid), bundle_uuid TEXT NOT NULL)",
    "CREATE TABLE bundles (seq INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT UNIQUE NOT NULL,"
    " bundle_type TEXT NOT NULL, owner_id TEXT NOT NULL, command TEXT, state TEXT NOT NULL,"
    " metadata TEXT NOT NULL, frozen INTEGER, is_anonymous INTEGER NOT NULL DEFAULT 0,"
    " worker_id TEXT, worker_user_id TEXT, state_changed INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX bundles_state ON bundles(state)",
    "CREATE TABLE dependencies (child_uuid TEXT NOT NULL, child_path TEXT NOT NULL, parent_uuid TEXT NOT "
    "NULL,"
    " parent_path TEXT NOT NULL, PRIMARY KEY (child_uuid, child_path))",
    "CREATE INDEX dependencies_parent ON dependencies(parent_uuid)",
};

} // namespace

ServerStore::~ServerStore()
{
    if (!m_connection.isEmpty()) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool ServerStore::open(const QString &dataDir, QString *error)
{
    if (!QDir().mkpath(dataDir)) {
        *error = QStringLiteral("Cannot create the data directory %1").arg(dataDir);
        return false;
    }
    // One connection per store instance: tests run several servers in one process.
    m_connection = QStringLiteral("codalab-local-server-") + util::BundleUuid::generate();
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(QDir(dataDir).filePath(QStringLiteral("codalab.sqlite")));
    if (!db.open()) {
        *error = QStringLiteral("Cannot open the database: %1").arg(db.lastError().text());
        return false;
    }
    QSqlQuery q(db);
    // Opening replays what the WAL holds of commits made before a kill; quick_check then proves the pages.
    if (!q.exec(QStringLiteral("PRAGMA quick_check")) || !q.next()
        || q.value(0).toString() != QLatin1String("ok")) {
        *error = QStringLiteral("The database %1 is damaged (%2); move it away to start afresh or restore a "
                                "backup")
                     .arg(db.databaseName(), q.isValid() ? q.value(0).toString() : q.lastError().text());
        return false;
    }
    q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    q.exec(QStringLiteral("PRAGMA foreign_keys=ON"));
    q.exec(QStringLiteral("PRAGMA synchronous=NORMAL")); // see the class comment: durable across a kill
    return migrate(error);
}

bool ServerStore::migrate(QString *error)
{
    QSqlDatabase db = database();
    QSqlQuery q(db);
    q.exec(QStringLiteral("PRAGMA user_version"));
    const int version = q.next() ? q.value(0).toInt() : 0;
    if (version > SchemaVersion) {
        *error = QStringLiteral("The database was written by a newer codalab-local-server (schema %1 > %2)")
                     .arg(version)
                     .arg(SchemaVersion);
        return false;
    }
    if (version == SchemaVersion) {
        return true;
    }
    const bool ok = transaction([&] {
        for (const char *statement : schemaV1) {
            if (!q.exec(QString::fromLatin1(statement))) {
                *error = QStringLiteral("Schema: %1").arg(q.lastError().text());
                return false;
            }
        }
        return q.exec(QStringLiteral("PRAGMA user_version = %1").arg(SchemaVersion));
    });
    return ok;
}

bool ServerStore::transaction(const std::function<bool()> &work)
{
    if (m_transactionDepth > 0) {
        return work();
    }
    QSqlDatabase db = database();
    if (!db.transaction()) {
        return false;
    }
    ++m_transactionDepth;
    bool ok = false;
    try {
        ok = work();
    } catch (...) {
        --m_transactionDepth;
        db.rollback();
        throw;
    }
    --m_transactionDepth;
    if (!ok) {
        db.rollback();
        return false;
    }
    return db.commit() || (db.rollback(), false);
}

std::optional<UserRecord> ServerStore::createUser(
    const QString &name, const QString &password, bool isRoot, QString *error)
{
    static const QRegularExpression valid(QStringLiteral("^[a-zA-Z0-9_.\\-]{1,64}$"));
    if (!valid.match(name).hasMatch()) {
        *error = QStringLiteral("User names are 1 to 64 letters, digits, '_', '.' or '-'");
        return std::nullopt;
    }
    if (userByName(name)) {
        *error = QStringLiteral("User %1 already exists").arg(name);
        return std::nullopt;
    }
    const QByteArray salt = randomBytes(16);
    // The first (root) user gets id "0", as upstream's root user; others a uuid.
    const UserRecord user { isRoot ? QStringLiteral("0") : util::BundleUuid::generate(), name, isRoot };
    QSqlQuery q(database());
    q.prepare(QStringLiteral(
        "INSERT INTO users (id, name, password_hash, salt, is_root, created) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(user.id);
    q.addBindValue(user.name);
    q.addBindValue(hashPassword(password, salt));
    q.addBindValue(salt);
    q.addBindValue(isRoot ? 1 : 0);
    q.addBindValue(QDateTime::currentSecsSinceEpoch());
    if (!q.exec()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    return user;
}

std::optional<UserRecord> ServerStore::checkPassword(const QString &name, const QString &password) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT id, name, is_root, password_hash, salt FROM users WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec() || !q.next()) {
        return std::nullopt;
    }
    const QByteArray expected = q.value(3).toByteArray();
    const QByteArray actual = hashPassword(password, q.value(4).toByteArray());
    // Compare without an early exit, so timing says nothing about how much matched.
    unsigned char diff = expected.size() == actual.size() ? 0 : 1;
    for (qsizetype i = 0; i < qMin(expected.size(), actual.size()); ++i) {
        diff |= static_cast<unsigned char>(expected[i] ^ actual[i]);
    }
    return diff == 0 ? std::optional(userFrom(q)) : std::nullopt;
}

std::optional<UserRecord> ServerStore::userById(const QString &id) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT id, name, is_root FROM users WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() ? std::optional(userFrom(q)) : std::nullopt;
}

std::optional<UserRecord> ServerStore::userByName(const QString &name) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT id, name, is_root FROM users WHERE name = ?"));
    q.addBindValue(name);
    return q.exec() && q.next() ? std::optional(userFrom(q)) : std::nullopt;
}

int ServerStore::userCount() const
{
    QSqlQuery q(database());
    return q.exec(QStringLiteral("SELECT COUNT(*) FROM users")) && q.next() ? q.value(0).toInt() : 0;
}

TokenRecord ServerStore::issueToken(const QString &clientId, const QString &userId, int lifetimeSec)
{
    TokenRecord token { randomToken(), randomToken(), clientId, userId,
        QDateTime::currentSecsSinceEpoch() + lifetimeSec };
    transaction([&] {
        QSqlQuery q(database());
        q.prepare(QStringLiteral("DELETE FROM tokens WHERE client_id = ? AND user_id = ?"));
        q.addBindValue(clientId);
        q.addBindValue(userId);
        if (!q.exec()) {
            return false;
        }
        q.prepare(QStringLiteral("INSERT INTO tokens (access_token, refresh_token, client_id, user_id, "
                                 "expires_at) VALUES (?, ?, ?, ?, ?)"));
        q.addBindValue(token.accessToken);
        q.addBindValue(token.refreshToken);
        q.addBindValue(token.clientId);
        q.addBindValue(token.userId);
        q.addBindValue(token.expiresAt);
        return q.exec();
    });
    return token;
}

std::optional<TokenRecord> ServerStore::tokenByAccess(const QString &accessToken) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT access_token, refresh_token, client_id, user_id, expires_at FROM tokens "
                             "WHERE access_token = ?"));
    q.addBindValue(accessToken);
    return q.exec() && q.next() ? std::optional(tokenFrom(q)) : std::nullopt;
}

std::optional<TokenRecord> ServerStore::tokenByRefresh(const QString &refreshToken) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT access_token, refresh_token, client_id, user_id, expires_at FROM tokens "
                             "WHERE refresh_token = ?"));
    q.addBindValue(refreshToken);
    return q.exec() && q.next() ? std::optional(tokenFrom(q)) : std::nullopt;
}

std::optional<WorksheetRecord> ServerStore::homeWorksheet(const UserRecord &user, QString *error)
{
    const QString name = QStringLiteral("home-") + user.name;
    if (auto existing = worksheetByName(name)) {
        return existing;
    }
    return createWorksheet(name, user.id, error);
}

std::optional<WorksheetRecord> ServerStore::worksheetByUuid(const QString &uuid) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT uuid, name, title, owner_id FROM worksheets WHERE uuid = ?"));
    q.addBindValue(uuid);
    if (!q.exec() || !q.next()) {
        return std::nullopt;
    }
    return WorksheetRecord { q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
        q.value(3).toString() };
}

std::optional<WorksheetRecord> ServerStore::worksheetByName(const QString &name) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT uuid, name, title, owner_id FROM worksheets WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec() || !q.next()) {
        return std::nullopt;
    }
    return WorksheetRecord { q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
        q.value(3).toString() };
}

std::optional<WorksheetRecord> ServerStore::createWorksheet(
    const QString &name, const QString &ownerId, QString *error)
{
    static const QRegularExpression valid(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_.\\-]*$"));
    if (!valid.match(name).hasMatch()) {
        *error = QStringLiteral("Names must match ^[a-zA-Z_][a-zA-Z0-9_\\.\\-]*$, was %1").arg(name);
        return std::nullopt;
    }
    if (worksheetByName(name)) {
        *error = QStringLiteral("Worksheet with name %1 already exists").arg(name);
        return std::nullopt;
    }
    const WorksheetRecord ws { util::BundleUuid::generate(), name, QStringLiteral(""),
        ownerId }; // a null QString binds as NULL
    QSqlQuery q(database());
    q.prepare(QStringLiteral("INSERT INTO worksheets (uuid, name, title, owner_id) VALUES (?, ?, ?, ?)"));
    q.addBindValue(ws.uuid);
    q.addBindValue(ws.name);
    q.addBindValue(ws.title);
    q.addBindValue(ws.ownerId);
    if (!q.exec()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    return ws;
}

QStringList ServerStore::worksheetBundles(const QString &worksheetUuid) const
{
    QStringList out;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT bundle_uuid FROM worksheet_items WHERE worksheet_uuid = ? ORDER BY id"));
    q.addBindValue(worksheetUuid);
    q.exec();
    while (q.next()) {
        out.append(q.value(0).toString());
    }
    return out;
}

bool ServerStore::addWorksheetItem(const QString &worksheetUuid, const QString &bundleUuid)
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("INSERT INTO worksheet_items (worksheet_uuid, bundle_uuid) VALUES (?, ?)"));
    q.addBindValue(worksheetUuid);
    q.addBindValue(bundleUuid);
    return q.exec();
}

} // namespace codalab::localserver
