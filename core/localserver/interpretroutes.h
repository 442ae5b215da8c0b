// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/httprequest.h"
#include "localserver/httpresponder.h"

namespace codalab::localserver {

class BundleStore;
class LocalHttpServer;
class WorksheetInterpreter;
class WorksheetStore;

/// /rest/interpret: a worksheet as `cl print` shows it (WorksheetInterpreter), and the values of table cells
/// and `cl info -f /path` read from bundle files (Genpath).
class InterpretRoutes
{
public:
    InterpretRoutes(const WorksheetStore &worksheets, const BundleStore &bundles,
        const WorksheetInterpreter &interpreter, QString bundlesDir);
    void install(LocalHttpServer &http);

private:
    void worksheet(HttpRequest &request, const HttpResponder &responder);
    void tableContents(HttpRequest &request, const HttpResponder &responder);
    void fileGenpaths(HttpRequest &request, const HttpResponder &responder);
    QJsonValue readGenpath(const QString &bundleUuid, const QString &genpath, const QString &post) const;

    const WorksheetStore &m_worksheets;
    const BundleStore &m_bundles;
    const WorksheetInterpreter &m_interpreter;
    QString m_bundlesDir;
};

} // namespace codalab::localserver
