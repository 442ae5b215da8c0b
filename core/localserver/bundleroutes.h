// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundledocument.h"
#include "localserver/bundlejson.h"
#include "localserver/bundlespec.h"
#include "localserver/bundlestore.h"
#include "localserver/httprequest.h"
#include "localserver/httpresponder.h"

#include <QJsonObject>

#include <functional>

namespace codalab::localserver {

class LocalHttpServer;
class QuotaMeter;
class WorksheetStore;

/// /rest/bundles as the `cl` CLI and the desktop use it: create runs, datasets (`uploading` until their
/// contents arrive) and makes; read one or many by spec (`depth` adds descendants, for `cl mimic`), by
/// search keywords (BundleSearch) or by command and dependencies (`cl run -m`), with `include=`; edit
/// metadata, anonymity and freezing (`cl edit`); and the bundle locations the CLI asks about before an
/// upload, answered for a server whose one store is its disk.
class BundleRoutes
{
public:
    BundleRoutes(ServerStore &store, BundleStore &bundles, WorksheetStore &worksheets,
        const BundleDocument &document, const QuotaMeter &quotas, QString bundlesDir);
    void install(LocalHttpServer &http);

    /// Called after any change the scheduler may want to act on.
    std::function<void()> onChanged;

private:
    void create(HttpRequest &request, const HttpResponder &responder);
    void list(HttpRequest &request, const HttpResponder &responder);
    void one(HttpRequest &request, const HttpResponder &responder);
    void edit(HttpRequest &request, const HttpResponder &responder);
    void locations(HttpRequest &request, const HttpResponder &responder);
    /// Reads one bundle to create; nullopt and *error (a 400) when it is not acceptable.
    std::optional<BundleRecord> parseNew(
        const QJsonObject &attributes, const UserRecord &owner, bool waitForUpload, QString *error) const;
    bool parseDependency(
        const QJsonObject &dependency, bool mayBeEmpty, DependencyRecord *out, QString *error) const;
    /// The includes asked for; nullopt once answered 400.
    static std::optional<QSet<QString>> includes(const HttpRequest &request, const HttpResponder &responder);

    ServerStore &m_store;
    BundleStore &m_bundles;
    WorksheetStore &m_worksheets;
    const BundleDocument &m_document;
    const QuotaMeter &m_quotas;
    BundleSpec m_specs;
    QString m_bundlesDir;
};

} // namespace codalab::localserver
