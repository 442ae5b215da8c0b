// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/worksheetrecord.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>

namespace codalab::localserver {

class BundleJson;
class BundleStore;
class ServerStore;
class WorksheetStore;
struct UserRecord;

/// Turns a worksheet's items into the blocks `cl print` shows (upstream's interpret_items): text joined into
/// markup blocks, runs of bundles into a table (or records, contents, images, graphs, or nothing) as the
/// last `% display` says, with the columns of `% schema` / `% add` / `% addschema` or the default schema,
/// links to worksheets into a subworksheets block; `% search` and `% wsearch` put their results in place.
/// A directive it cannot read becomes a markup block "Error in source line N: ...", as upstream's.
class WorksheetInterpreter
{
public:
    WorksheetInterpreter(const WorksheetStore &worksheets, const BundleStore &bundles,
        const ServerStore &store, const BundleJson &json);

    /// GET /rest/interpret/worksheet/<uuid>: the worksheet's fields and its `blocks`.
    QJsonObject interpret(const WorksheetRecord &worksheet, const UserRecord &caller) const;
    /// Splits a directive as Python's shlex.split does (quotes, backslashes).
    static QStringList tokens(const QString &text, bool *ok = nullptr);

private:
    struct Field
    {
        QString name;
        QString genpath;
        QString post;
    };
    struct Item
    {
        QString type;
        QString value;
        QJsonObject bundle; ///< attributes; for bundle items
        QJsonObject subworksheet; ///< for worksheet items
        QJsonValue id;
        QJsonValue sortKey;
    };
    QList<Item> expand(const QList<WorksheetItemRecord> &items, const UserRecord &caller) const;
    static QMap<QString, QList<Field>> defaultSchemas();
    QJsonArray blocksFor(const QList<Item> &items) const;

    const WorksheetStore &m_worksheets;
    const BundleStore &m_bundles;
    const ServerStore &m_store;
    const BundleJson &m_json;
};

} // namespace codalab::localserver
