// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apijob.h"
#include "server/runrequest.h"

#include <QObject>

namespace codalab::server {

class ServerConnection;
class RunSubmission;

/// The user side of the CodaLab REST API (codalab-protocol.md §5). Every call returns a started ApiJob
/// whose finished() carries the JSON:API answer; submitRun() chains the look-ups `cl run` makes.
class CodaLabClient : public QObject
{
    Q_OBJECT
public:
    explicit CodaLabClient(ServerConnection *connection, QObject *parent = nullptr);
    ServerConnection *connection() const { return m_connection; }

    ApiJob *currentUser();
    /// `spec` "/" is the home worksheet (made on first use), else a name or uuid.
    ApiJob *worksheet(const QString &spec);
    /// Bundle specs (uuid, prefix, name, ^N) on a worksheet.
    ApiJob *resolveBundles(const QStringList &specs, const QString &worksheetUuid);
    ApiJob *bundle(const QString &uuid);
    ApiJob *search(const QStringList &keywords);
    /// Creates the run as is: dependencies must be resolved (parentUuid set).
    ApiJob *createRun(const RunRequest &request, const QString &worksheetUuid);
    /// Validates, finds the worksheet, resolves each dependency, then creates the run.
    RunSubmission *submitRun(const RunRequest &request);
    ApiJob *contentsInfo(const QString &uuid, const QString &path, int depth = 1);
    /// Bytes [offset, offset + length) of a file; an inclusive Range as upstream reads it.
    ApiJob *readRange(const QString &uuid, const QString &path, qint64 offset, qint64 length);
    /// The last `lines` lines of a file, long lines cut at `maxLineLength` (upstream's tail=N read).
    ApiJob *tail(const QString &uuid, const QString &path, int lines, int maxLineLength = 1024);
    ApiJob *kill(const QString &uuid);
    ApiJob *workersInfo();
    /// GET /rest/users/<id>: a user's public attributes (user_name...).
    ApiJob *user(const QString &id);

    // Worksheets and bundles as data (the desktop's Bundles page)
    /// One worksheet with its items, their bundles and the bundles' owners (as `cl ls` asks for it).
    ApiJob *worksheetItems(const QString &uuid);
    /// Worksheets `cl wls` would list for these keywords (yours first), at most `limit`.
    ApiJob *worksheets(const QStringList &keywords, int limit = 500);
    ApiJob *createWorksheet(const QString &name);
    /// Changes metadata keys of a bundle (PATCH /rest/bundles, as `cl edit`).
    ApiJob *editBundle(const QString &uuid, const QJsonObject &metadata);
    /// DELETE /rest/bundles as `cl rm` (with `recursive`, the bundles that depend on them go too).
    ApiJob *deleteBundles(const QStringList &uuids, bool force = false, bool recursive = false);

private:
    ServerConnection *m_connection;
};

} // namespace codalab::server
