// SPDX-License-Identifier: GPL-3.0-or-later
// What the tests of worker::ResultUploader share: a run directory with a known tree, the tree it must upload
// as, and a server connection with a fixed token for scripted servers.
#pragma once

#include "server/apierror.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"

#include <QJsonArray>
#include <QMap>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStringList>
#include <QTemporaryDir>

namespace codalab::test {

/// A bundle uuid for servers that do not check it.
inline const QString UploadUuid = QStringLiteral("0x") + QString(32, QLatin1Char('a'));
/// The exclude patterns the tests upload with; UploadRunDir has files each of them keeps out.
inline const QStringList Excludes { QStringLiteral("*.tmp"), QStringLiteral("cache") };
/// What UploadRunDir uploads as, with Excludes: path → type (and a link's target).
extern const QMap<QString, QString> ExpectedTree;

/// Writes `data` to `path`, making its directory; REQUIREs success.
void writeFile(const QString &path, const QByteArray &data);
QByteArray randomBytes(qint64 size);
/// The file's contents, or "<missing>".
QByteArray readFile(const QString &path);
/// The tree of a bundle's contents/info "contents" list, in ExpectedTree's form, into *tree.
void collectTree(const QJsonArray &contents, const QString &prefix, QMap<QString, QString> *tree);
/// The same tree read from a tar.gz, as the server would unpack it.
QMap<QString, QString> archiveTree(const QByteArray &archive);
/// The error of the one finished(ApiError) emission `spy` holds; REQUIREs that there is exactly one.
server::ApiError finishedError(const QSignalSpy &spy);

/// A run directory (parent/0xrun) with what the exclude patterns `*.tmp` and `cache` must keep out, next
/// to what stays.
struct UploadRunDir
{
    QTemporaryDir parent;
    QString path = parent.filePath(QStringLiteral("0xrun"));

    UploadRunDir();
    /// What is left next to the run directory: nothing once an upload is over.
    QStringList leftovers() const;
};

/// A worker's connection: to a scripted server with a fixed token, valid for an hour; or, given a user and
/// password, to a real server, logging in as a worker does.
struct UploadClient
{
    QNetworkAccessManager nam;
    server::ServerConnection connection { &nam };
    server::TokenManager tokens { &connection, QStringLiteral("codalab_worker_client"),
        server::TokenManager::Mode::Relogin };

    explicit UploadClient(const QString &url);
    UploadClient(const QString &url, const QString &user, const QString &password);
};

} // namespace codalab::test
