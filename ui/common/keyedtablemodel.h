// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QStringList>
#include <QVariant>

namespace codalab::ui {

/// A table whose rows are identified by a key (a run uuid, a slot index, a GPU uuid) and replaced as a
/// whole by each new snapshot of the worker's status: setRows() removes the rows whose key is gone, updates
/// the others in place with a dataChanged() for exactly the cells and roles that changed, and appends the
/// new ones, so a view keeps its selection, current index and scroll position from one status to the next.
///
/// Usage: subclass, pass the column headers to the constructor, build a Row per item (its cells' values by
/// role, and values every cell of the row answers, such as the run uuid) from the status and call setRows().
class KeyedTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    using Values = QHash<int, QVariant>; ///< role → value

    struct Row
    {
        QString key;
        QList<Values> cells; ///< one per column
        Values rowValues; ///< answered by every cell whose own values lack the role

        /// Sets `role` of `column` (cells are added as needed).
        void set(int column, int role, const QVariant &value);
        void setText(int column, const QString &text) { set(column, Qt::DisplayRole, text); }
    };

    KeyedTableModel(QStringList headers, QObject *parent = nullptr);

    /// The rows in this order for new rows; existing rows keep their position.
    void setRows(const QList<Row> &rows);
    /// The row of `key`, or -1.
    int rowOf(const QString &key) const;
    QString keyAt(int row) const { return m_rows.at(row).key; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void update(int row, Row next);

    QStringList m_headers;
    QList<Row> m_rows;
};

} // namespace codalab::ui
