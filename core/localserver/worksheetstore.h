// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/serverstore.h"
#include "localserver/worksheetrecord.h"

#include <QList>

#include <optional>

namespace codalab::localserver {

/// Worksheets and their items in the local server's database (upstream's worksheet, worksheet_item and
/// worksheet_tag tables). Items are shown in the order of their sort key, or of their id where they have
/// none, as upstream orders them; a change of items also moves the worksheet's date_last_modified.
class WorksheetStore
{
public:
    explicit WorksheetStore(ServerStore &store)
        : m_store(store)
    { }

    /// The user's home worksheet, home-<user name>, made on first use; nullopt and *error if it cannot be.
    std::optional<WorksheetRecord> home(const UserRecord &user, QString *error);
    std::optional<WorksheetRecord> byUuid(const QString &uuid) const;
    std::optional<WorksheetRecord> byName(const QString &name) const;
    /// Worksheets whose uuid starts with `prefix`, or named `name` (one of the two is empty); with `base`,
    /// only those linked from that worksheet.
    QList<WorksheetRecord> find(const QString &prefix, const QString &name, const QString &base = {}) const;
    /// Checks the name as upstream does (pattern, unused, no one else's home-) and inserts it.
    std::optional<WorksheetRecord> create(const QString &name, const UserRecord &owner, QString *error);
    /// Writes name, title, tags, frozen, anonymity and owner; dates move on.
    bool update(WorksheetRecord &worksheet, QString *error);
    /// Deletes the worksheet, its items and the items of other worksheets that link to it.
    bool remove(const QString &uuid);
    /// Whether another worksheet has this name (renaming to the current name counts, as upstream).
    bool nameTaken(const QString &name) const;

    QList<WorksheetItemRecord> items(const QString &worksheetUuid) const;
    /// Appends, or with `replace` puts these in place of all items, in one transaction.
    bool writeItems(const QString &worksheetUuid, QList<WorksheetItemRecord> &items, bool replace);
    /// Worksheets that hold the bundle, each once.
    QList<WorksheetRecord> hostsOf(const QString &bundleUuid) const;
    /// `cl wls`: keywords as upstream's search_worksheets reads them, for `user`; nullopt and *error for a
    /// keyword it does not know.
    std::optional<QList<WorksheetRecord>> search(
        const QStringList &keywords, const UserRecord &user, QString *error) const;

    static bool isValidName(const QString &name);

private:
    QList<WorksheetRecord> select(
        const QString &where, const QVariantList &values, const QString &tail = {}) const;
    void touch(const QString &worksheetUuid);

    ServerStore &m_store;
};

} // namespace codalab::localserver
