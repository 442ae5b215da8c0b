// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/httprequest.h"
#include "localserver/httpresponder.h"
#include "localserver/worksheetrecord.h"

#include <QSet>

#include <optional>

namespace codalab::localserver {

class LocalHttpServer;
class WorksheetJson;
class WorksheetStore;

/// /rest/worksheets and /rest/worksheet-items as the `cl` CLI uses them: resolve specs (`cl work`), search
/// (`cl wls`), create (`cl new`), edit name, title, tags, freezing, anonymity and owner (`cl wedit`), delete
/// (`cl wrm`), read one with its items and their bundles (`cl ls`, `cl print`), and add or replace items
/// (`cl add`, `cl detach`, `cl wadd`), with upstream's permission and frozen rules and words.
class WorksheetRoutes
{
public:
    WorksheetRoutes(WorksheetStore &worksheets, const WorksheetJson &json);
    void install(LocalHttpServer &http);

private:
    void list(HttpRequest &request, const HttpResponder &responder);
    void create(HttpRequest &request, const HttpResponder &responder);
    void edit(HttpRequest &request, const HttpResponder &responder);
    void remove(HttpRequest &request, const HttpResponder &responder);
    void one(HttpRequest &request, const HttpResponder &responder);
    void addItems(HttpRequest &request, const HttpResponder &responder);
    /// The includes asked for, or nullopt after answering 400 for one not in `known`.
    static std::optional<QSet<QString>> includes(
        const HttpRequest &request, const QStringList &known, const HttpResponder &responder);
    /// The worksheet if the caller may change it (all permission, not frozen unless `evenFrozen`); nullopt
    /// once answered otherwise.
    std::optional<WorksheetRecord> writable(const QString &uuid, const UserRecord &user,
        const HttpResponder &responder, bool evenFrozen = false) const;

    WorksheetStore &m_worksheets;
    const WorksheetJson &m_json;
};

} // namespace codalab::localserver
