// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundleactions.h"
#include "localserver/bundledocument.h"
#include "localserver/bundlemaker.h"
#include "localserver/bundleremoval.h"
#include "localserver/bundleroutes.h"
#include "localserver/bundlestore.h"
#include "localserver/bundleuploads.h"
#include "localserver/contentroutes.h"
#include "localserver/interpretroutes.h"
#include "localserver/localhttpserver.h"
#include "localserver/localserverconfig.h"
#include "localserver/quotameter.h"
#include "localserver/scheduler.h"
#include "localserver/serverstore.h"
#include "localserver/storerecovery.h"
#include "localserver/userjson.h"
#include "localserver/userroutes.h"
#include "localserver/workerhub.h"
#include "localserver/workerreadproxy.h"
#include "localserver/worksheetinterpreter.h"
#include "localserver/worksheetjson.h"
#include "localserver/worksheetroutes.h"
#include "localserver/worksheetstore.h"

#include <QObject>

#include <memory>

namespace codalab::localserver {

/// codalab-local-server: a CodaLab-compatible REST server for one machine, on 127.0.0.1.
///
/// Usage: construct with a config, call start(); url() then answers requests. A first start creates the
/// root user `codalab` with a random password, kept in <data dir>/codalab-password (mode 0600, the
/// --password-file format: user name, then password) and given once by initialPassword(). Every start
/// first puts back in order what a kill or crash left half-done (StoreRecovery; see recovery()).
class LocalServer : public QObject
{
    Q_OBJECT
public:
    explicit LocalServer(LocalServerConfig config, QObject *parent = nullptr);
    ~LocalServer() override;

    bool start(QString *error);
    QString url() const;
    quint16 port() const { return m_http ? m_http->port() : 0; }
    const QString &initialPassword() const { return m_initialPassword; }
    QString passwordFile() const;
    QString urlFile() const;
    const LocalServerConfig &config() const { return m_config; }
    /// What start() found to repair; clean() after a clean stop.
    const RecoveryReport &recovery() const { return m_recovery; }

    /// Adds a user with a random password, which it returns (empty and *error on failure).
    QString addUser(const QString &name, QString *error);
    /// Sets a user's password, in the database and, for the user the password file names, in that file
    /// too. Needs only the store open (a running server in another process sees it at its next login).
    bool setPassword(const QString &name, const QString &password, QString *error);
    ServerStore &store() { return m_store; }
    WorksheetStore &worksheets() { return *m_worksheets; }
    WorkerHub *workerHub() const { return m_workers; }
    Scheduler *scheduler() const { return m_scheduler; }

private:
    LocalServerConfig m_config;
    ServerStore m_store;
    std::unique_ptr<BundleStore> m_bundles;
    std::unique_ptr<WorksheetStore> m_worksheets;
    std::unique_ptr<QuotaMeter> m_quotas;
    std::unique_ptr<UserJson> m_userJson;
    std::unique_ptr<BundleJson> m_bundleJson;
    std::unique_ptr<BundleDocument> m_bundleDocument;
    std::unique_ptr<WorksheetJson> m_worksheetJson;
    std::unique_ptr<UserRoutes> m_userRoutes;
    std::unique_ptr<WorksheetRoutes> m_worksheetRoutes;
    std::unique_ptr<WorksheetInterpreter> m_interpreter;
    std::unique_ptr<InterpretRoutes> m_interpretRoutes;
    std::unique_ptr<BundleRoutes> m_bundleRoutes;
    std::unique_ptr<BundleRemoval> m_bundleRemoval;
    std::unique_ptr<BundleActions> m_bundleActions;
    std::unique_ptr<ContentRoutes> m_contentRoutes;
    BundleUploads *m_uploads = nullptr;
    BundleMaker *m_maker = nullptr;
    WorkerHub *m_workers = nullptr;
    Scheduler *m_scheduler = nullptr;
    std::unique_ptr<WorkerReadProxy> m_readProxy;
    LocalHttpServer *m_http = nullptr;
    QString m_initialPassword;
    RecoveryReport m_recovery;
};

} // namespace codalab::localserver
