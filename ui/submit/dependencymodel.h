// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/runrequest.h"

#include <QAbstractTableModel>
#include <QList>

namespace codalab::ui {

/// The dependency rows of the run-submission dialog: `key` and `bundle[/subpath]` as typed, and what is
/// known about each row (a parse or key problem, or the bundle it resolves to on the server).
///
/// Usage: a table view edits the Key and Target columns; changed() fires on every edit, insert and
/// removal. dependencies() is what the rows say, as RunRequest dependencies (blank rows and rows that do
/// not parse are left out; problem() names them). Resolution is done outside (DependencyResolver):
/// lookups() lists the rows waiting for one, each with the revision it was asked for, and
/// setLookupResult() records the answer unless the row's target was edited (or the row removed) in between,
/// so a late answer never marks a row it no longer belongs to; a key edit keeps the lookup and its answer.
class DependencyModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, TargetColumn, StatusColumn, ColumnCount };
    enum class Lookup {
        Pending, ///< not asked yet (or asked before the target last changed)
        Resolving,
        Resolved,
        NotFound, ///< the server says there is no such bundle: the row is invalid
        Unchecked, ///< the server could not be asked (network...): the submission will try again
    };
    struct LookupRequest
    {
        quint64 rowId = 0;
        quint64 revision = 0;
        QString target;
    };

    explicit DependencyModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

    /// Adds a row at the end and returns its index.
    int appendRow(const QString &key = {}, const QString &target = {});
    /// Replaces every row; a dependency that carries a parentUuid counts as resolved while its target
    /// is not edited (a rerun keeps the very bundle the first run used).
    void setDependencies(const QList<server::RunRequest::Dependency> &dependencies);
    QList<server::RunRequest::Dependency> dependencies() const;

    /// Why the row cannot be sent ("Dependency 'x' must be key:bundle[/subpath]", "No bundle found with
    /// name x", a bad or repeated key); empty when it can (still resolving is fine: the submission resolves).
    QString problem(int row) const;
    /// -1 when every row can be sent.
    int firstProblemRow() const;
    /// A local folder or file needs no lookup: it counts as resolved (it is uploaded at submission).
    Lookup lookup(int row) const;

    QList<LookupRequest> lookups() const;
    /// False (and nothing changes) when the row was edited or removed since `revision`. A Resolved row's
    /// `message` is a note shown after its bundle (a name that several bundles share).
    bool setLookupResult(quint64 rowId, quint64 revision, Lookup state, const QString &uuid = {},
        const QString &name = {}, const QString &message = {});
    /// Every row needs a new lookup (the worksheet names are resolved on changed).
    void invalidateLookups();
    /// The local folder or file of row `key` is now bundle `uuid` on the server.
    void setUploaded(const QString &key, const QString &uuid);

Q_SIGNALS:
    void changed();

private:
    struct Row
    {
        quint64 id = 0;
        quint64 revision = 0;
        QString key;
        QString target;
        QString givenUuid; ///< from setDependencies, dropped on an edit of the target
        QString givenPath;
        Lookup lookup = Lookup::Pending;
        QString uuid;
        QString name;
        QString message;
    };

    bool isBlank(const Row &row) const { return row.key.isEmpty() && row.target.isEmpty(); }
    std::optional<server::RunRequest::Dependency> parse(const Row &row, QString *error) const;
    /// Parse and key problems, which depend on the other rows too.
    QString localProblem(int row) const;
    QString statusText(int row) const;
    int rowOf(quint64 id) const;
    /// A new revision, and the row waits for a new lookup: an older answer is dropped, a newer one asked.
    static void restartLookup(Row &row);
    void statusColumnChanged();

    QList<Row> m_rows;
    quint64 m_nextId = 1;
};

} // namespace codalab::ui
