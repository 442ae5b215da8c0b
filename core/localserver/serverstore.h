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
};

struct TokenRecord
{
    QString accessToken;
    QString refreshToken;
    QString clientId;
    QString userId;
    qint64 expiresAt = 0; ///< epoch seconds
};

struct WorksheetRecord
{
    QString uuid;
    QString name;
    QString title;
    QString ownerId;
};

/// The local server's SQLite database (WAL, versioned schema) and its users, tokens and worksheets.
/// Durability: WAL with synchronous=NORMAL writes each commit to the WAL file before the statement returns
/// and syncs at checkpoints, so an answered write survives the process being killed at any point (the
/// kernel still has it); only a power loss or OS crash may lose the last commits, never consistency.
/// open() refuses a database that fails SQLite's quick_check rather than serve from a damaged one.
/// Bundles and workers have their own classes over the same connection. Synchronous: it runs in the
/// server process on its one thread, where each statement takes microseconds.
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
    static constexpr int SchemaVersion = 1;

    /// Runs `work` in one transaction: all of it or nothing. Returns what work returned. Inside another
    /// transaction it is part of that one, which commits or rolls back as a whole.
    bool transaction(const std::function<bool()> &work);

    // Users
    std::optional<UserRecord> createUser(
        const QString &name, const QString &password, bool isRoot, QString *error);
    std::optional<UserRecord> checkPassword(const QString &name, const QString &password) const;
    std::optional<UserRecord> userById(const QString &id) const;
    std::optional<UserRecord> userByName(const QString &name) const;
    int userCount() const;

    // Tokens: one per (client, user); issuing a new one drops the previous ones, as upstream.
    TokenRecord issueToken(const QString &clientId, const QString &userId, int lifetimeSec);
    std::optional<TokenRecord> tokenByAccess(const QString &accessToken) const;
    std::optional<TokenRecord> tokenByRefresh(const QString &refreshToken) const;

    // Worksheets
    /// The user's home worksheet, made on first use; nullopt and *error if it cannot be made.
    std::optional<WorksheetRecord> homeWorksheet(const UserRecord &user, QString *error);
    std::optional<WorksheetRecord> worksheetByUuid(const QString &uuid) const;
    std::optional<WorksheetRecord> worksheetByName(const QString &name) const;
    std::optional<WorksheetRecord> createWorksheet(
        const QString &name, const QString &ownerId, QString *error);
    /// Bundle uuids on the worksheet, in order.
    QStringList worksheetBundles(const QString &worksheetUuid) const;
    bool addWorksheetItem(const QString &worksheetUuid, const QString &bundleUuid);

private:
    bool migrate(QString *error);

    QString m_connection;
    int m_transactionDepth = 0;
};

} // namespace codalab::localserver
