// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/serverstore.h"

#include "localserver/serverschema.h"
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

const QString userColumns = QStringLiteral(
    "id, name, is_root, email, first_name, last_name, affiliation, url, avatar_id, notifications, created,"
    " last_login, time_quota, disk_quota, parallel_run_quota");

UserRecord userFrom(const QSqlQuery &q)
{
    UserRecord u;
    u.id = q.value(0).toString();
    u.name = q.value(1).toString();
    u.isRoot = q.value(2).toBool();
    u.email = q.value(3).toString();
    u.firstName = q.value(4).toString();
    u.lastName = q.value(5).toString();
    u.affiliation = q.value(6).toString();
    u.url = q.value(7).toString();
    u.avatarId = q.value(8).toString();
    u.notifications = q.value(9).toInt();
    u.dateJoined = q.value(10).toLongLong();
    u.lastLogin = q.value(11).toLongLong();
    if (!q.isNull(12)) {
        u.timeQuota = q.value(12).toLongLong();
    }
    if (!q.isNull(13)) {
        u.diskQuota = q.value(13).toLongLong();
    }
    if (!q.isNull(14)) {
        u.parallelRunQuota = q.value(14).toInt();
    }
    return u;
}

QVariant nullableText(const QString &v)
{
    return v.isNull() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(v);
}

TokenRecord tokenFrom(const QSqlQuery &q)
{
    return TokenRecord { q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
        q.value(3).toString(), q.value(4).toLongLong() };
}

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
    q.finish(); // an unfinished read keeps tables locked, and version 2 drops one
    if (version > ServerSchema::Version) {
        *error = QStringLiteral("The database was written by a newer codalab-local-server (schema %1 > %2)")
                     .arg(version)
                     .arg(ServerSchema::Version);
        return false;
    }
    if (version == ServerSchema::Version) {
        return true;
    }
    return transaction([&] { return ServerSchema::upgrade(db, version, error); });
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
    if (!isValidUserName(name)) {
        *error = QStringLiteral("User names are 1 to 64 letters, digits, '_', '.' or '-'");
        return std::nullopt;
    }
    if (userByName(name)) {
        *error = QStringLiteral("User %1 already exists").arg(name);
        return std::nullopt;
    }
    const QByteArray salt = randomBytes(16);
    // The first (root) user gets id "0", as upstream's root user; others a uuid.
    UserRecord user;
    user.id = isRoot ? QStringLiteral("0") : util::BundleUuid::generate();
    user.name = name;
    user.isRoot = isRoot;
    user.dateJoined = QDateTime::currentSecsSinceEpoch();
    QSqlQuery q(database());
    q.prepare(QStringLiteral(
        "INSERT INTO users (id, name, password_hash, salt, is_root, created) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(user.id);
    q.addBindValue(user.name);
    q.addBindValue(hashPassword(password, salt));
    q.addBindValue(salt);
    q.addBindValue(isRoot ? 1 : 0);
    q.addBindValue(user.dateJoined);
    if (!q.exec()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    return user;
}

std::optional<UserRecord> ServerStore::checkPassword(const QString &name, const QString &password) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT %1, password_hash, salt FROM users WHERE name = ?").arg(userColumns));
    q.addBindValue(name);
    if (!q.exec() || !q.next()) {
        return std::nullopt;
    }
    const QByteArray expected = q.value(15).toByteArray();
    const QByteArray actual = hashPassword(password, q.value(16).toByteArray());
    // Compare without an early exit, so timing says nothing about how much matched.
    unsigned char diff = expected.size() == actual.size() ? 0 : 1;
    for (qsizetype i = 0; i < qMin(expected.size(), actual.size()); ++i) {
        diff |= static_cast<unsigned char>(expected[i] ^ actual[i]);
    }
    return diff == 0 ? std::optional(userFrom(q)) : std::nullopt;
}

std::optional<UserRecord> ServerStore::selectUser(const QString &where, const QVariant &value) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT %1 FROM users WHERE %2 = ?").arg(userColumns, where));
    q.addBindValue(value);
    return q.exec() && q.next() ? std::optional(userFrom(q)) : std::nullopt;
}

std::optional<UserRecord> ServerStore::userById(const QString &id) const
{
    return selectUser(QStringLiteral("id"), id);
}

std::optional<UserRecord> ServerStore::userByName(const QString &name) const
{
    return selectUser(QStringLiteral("name"), name);
}

QList<UserRecord> ServerStore::users() const
{
    QList<UserRecord> out;
    QSqlQuery q(database());
    if (q.exec(QStringLiteral("SELECT %1 FROM users ORDER BY created, rowid").arg(userColumns))) {
        while (q.next()) {
            out << userFrom(q);
        }
    }
    return out;
}

bool ServerStore::isValidUserName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^[a-zA-Z0-9_.\\-]{1,64}$"));
    return valid.match(name).hasMatch();
}

bool ServerStore::updateUser(const QString &id, const UserUpdate &update, QString *error)
{
    if (update.name) {
        if (!isValidUserName(*update.name)) {
            *error = QStringLiteral(
                "User name characters must be alphanumeric, underscores, periods, or dashes.");
            return false;
        }
        const auto other = userByName(*update.name);
        if (other && other->id != id) {
            *error = QStringLiteral("User name %1 is already taken.").arg(*update.name);
            return false;
        }
    }
    QStringList sets;
    QVariantList values;
    const auto text = [&](const char *column, const std::optional<QString> &v) {
        if (v) {
            sets << QStringLiteral("%1 = ?").arg(QLatin1String(column));
            values << nullableText(*v);
        }
    };
    text("name", update.name);
    text("first_name", update.firstName);
    text("last_name", update.lastName);
    text("affiliation", update.affiliation);
    text("url", update.url);
    text("avatar_id", update.avatarId);
    if (update.email) {
        sets << QStringLiteral("email = ?");
        values << *update.email;
    }
    if (update.notifications) {
        sets << QStringLiteral("notifications = ?");
        values << *update.notifications;
    }
    const auto number = [&](const char *column, const auto &v) {
        if (v) {
            sets << QStringLiteral("%1 = ?").arg(QLatin1String(column));
            values << (*v ? QVariant(qint64(**v)) : QVariant(QMetaType(QMetaType::LongLong)));
        }
    };
    number("time_quota", update.timeQuota);
    number("disk_quota", update.diskQuota);
    number("parallel_run_quota", update.parallelRunQuota);
    if (sets.isEmpty()) {
        return true;
    }
    QSqlQuery q(database());
    q.prepare(QStringLiteral("UPDATE users SET %1 WHERE id = ?").arg(sets.join(QStringLiteral(", "))));
    for (const QVariant &v : std::as_const(values)) {
        q.addBindValue(v);
    }
    q.addBindValue(id);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    return true;
}

bool ServerStore::setPassword(const QString &id, const QString &password, QString *error)
{
    const QByteArray salt = randomBytes(16);
    QSqlQuery q(database());
    q.prepare(QStringLiteral("UPDATE users SET password_hash = ?, salt = ? WHERE id = ?"));
    q.addBindValue(hashPassword(password, salt));
    q.addBindValue(salt);
    q.addBindValue(id);
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = q.lastError().text().isEmpty() ? QStringLiteral("No such user") : q.lastError().text();
        return false;
    }
    return true;
}

void ServerStore::recordLogin(const QString &id)
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("UPDATE users SET last_login = ? WHERE id = ?"));
    q.addBindValue(QDateTime::currentSecsSinceEpoch());
    q.addBindValue(id);
    q.exec();
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

} // namespace codalab::localserver
