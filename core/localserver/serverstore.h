// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace codalab::localserver {

struct UserRecord
{
    QString id;
    QString name;
    bool isRoot = false;
    QString email;
    // Profile: what `cl uinfo` prints and `cl uedit` changes; null until set.
    QString firstName;
    QString lastName;
    QString affiliation;
    QString url;
    QString avatarId;
    int notifications = 2; ///< upstream's default: all notifications
    qint64 dateJoined = 0; ///< epoch seconds
    qint64 lastLogin = 0; ///< epoch seconds; 0 = never
    // Quotas; unset means the server's default (the disk quota follows the disk the data lives on).
    std::optional<qint64> timeQuota; ///< seconds
    std::optional<qint64> diskQuota; ///< bytes
    std::optional<int> parallelRunQuota;
};

/// What a user may change of their own record (PATCH /rest/user) or root of anyone's (PATCH /rest/users);
/// unset fields stay as they are.
struct UserUpdate
{
    std::optional<QString> name;
    std::optional<QString> firstName;
    std::optional<QString> lastName;
    std::optional<QString> affiliation;
    std::optional<QString> url;
    std::optional<QString> avatarId;
    std::optional<QString> email;
    std::optional<int> notifications;
    std::optional<std::optional<qint64>> timeQuota;
    std::optional<std::optional<qint64>> diskQuota;
    std::optional<std::optional<int>> parallelRunQuota;
};

struct TokenRecord
{
    QString accessToken;
    QString refreshToken;
    QString clientId;
    QString userId;
    qint64 expiresAt = 0; ///< epoch seconds
};

/// The local server's SQLite database (WAL, versioned schema: ServerSchema) and its users and tokens.
/// Durability: WAL with synchronous=NORMAL writes each commit to the WAL file before the statement returns
/// and syncs at checkpoints, so an answered write survives the process being killed at any point (the
/// kernel still has it); only a power loss or OS crash may lose the last commits, never consistency.
/// open() refuses a database that fails SQLite's quick_check rather than serve from a damaged one.
/// Worksheets, bundles and workers have their own classes over the same connection. Synchronous: it runs in
/// the server process on its one thread, where each statement takes microseconds.
class ServerStore
{
public:
    ServerStore() = default;
    ~ServerStore();
    ServerStore(const ServerStore &) = delete;
    ServerStore &operator=(const ServerStore &) = delete;

    /// Opens (creating and migrating as needed) <dataDir>/codalab.sqlite.
    bool open(const QString &dataDir, QString *error);
    QSqlDatabase database() const { return QSqlDatabase::database(m_connection); }

    /// Runs `work` in one transaction: all of it or nothing. Returns what work returned. Inside another
    /// transaction it is part of that one, which commits or rolls back as a whole.
    bool transaction(const std::function<bool()> &work);

    // Users
    std::optional<UserRecord> createUser(
        const QString &name, const QString &password, bool isRoot, QString *error);
    std::optional<UserRecord> checkPassword(const QString &name, const QString &password) const;
    std::optional<UserRecord> userById(const QString &id) const;
    std::optional<UserRecord> userByName(const QString &name) const;
    /// Every user, in order of joining.
    QList<UserRecord> users() const;
    int userCount() const;
    /// Applies `update`; false and *error when a new name is taken or invalid.
    bool updateUser(const QString &id, const UserUpdate &update, QString *error);
    /// Sets a new password; the tokens issued so far stay valid, as upstream's password change does.
    bool setPassword(const QString &id, const QString &password, QString *error);
    void recordLogin(const QString &id);
    static bool isValidUserName(const QString &name);

    // Tokens: one per (client, user); issuing a new one drops the previous ones, as upstream.
    TokenRecord issueToken(const QString &clientId, const QString &userId, int lifetimeSec);
    std::optional<TokenRecord> tokenByAccess(const QString &accessToken) const;
    std::optional<TokenRecord> tokenByRefresh(const QString &refreshToken) const;

private:
    bool migrate(QString *error);
    std::optional<UserRecord> selectUser(const QString &where, const QVariant &value) const;

    QString m_connection;
    int m_transactionDepth = 0;
};

} // namespace codalab::localserver
