// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/keyedtablemodel.h"

#include <QSet>

namespace codalab::ui {

void KeyedTableModel::Row::set(int column, int role, const QVariant &value)
{
    while (cells.size() <= column) {
        cells.append(Values());
    }
    cells[column].insert(role, value);
}

KeyedTableModel::KeyedTableModel(QStringList headers, QObject *parent)
    : QAbstractTableModel(parent)
    , m_headers(std::move(headers))
{ }

int KeyedTableModel::rowOf(const QString &key) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).key == key) {
            return i;
        }
    }
    return -1;
}

void KeyedTableModel::setRows(const QList<Row> &rows)
{
    QSet<QString> keep;
    for (const Row &r : rows) {
        keep.insert(r.key);
    }
    // From the end, so the rows still to look at keep their numbers.
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (!keep.contains(m_rows.at(i).key)) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    for (const Row &r : rows) {
        const int existing = rowOf(r.key);
        if (existing >= 0) {
            update(existing, r);
            continue;
        }
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at);
        m_rows.append(r);
        m_rows.last().cells.resize(m_headers.size());
        endInsertRows();
    }
}

void KeyedTableModel::update(int row, Row next)
{
    next.cells.resize(m_headers.size());
    Row &current = m_rows[row];
    const Values oldRowValues = current.rowValues;
    QList<Values> oldCells = current.cells;
    current = std::move(next);
    for (int column = 0; column < m_headers.size(); ++column) {
        // A role changed when the value the cell answers for it changed (its own or the row's).
        QSet<int> roles;
        const std::initializer_list<const Values *> all
            = { &oldCells.at(column), &current.cells.at(column), &oldRowValues, &current.rowValues };
        for (const Values *values : all) {
            for (auto it = values->cbegin(); it != values->cend(); ++it) {
                roles.insert(it.key());
            }
        }
        QList<int> changed;
        for (int role : std::as_const(roles)) {
            const QVariant before = oldCells.at(column).value(role, oldRowValues.value(role));
            const QVariant after = current.cells.at(column).value(role, current.rowValues.value(role));
            if (before != after) {
                changed.append(role);
            }
        }
        if (!changed.isEmpty()) {
            const QModelIndex i = index(row, column);
            Q_EMIT dataChanged(i, i, changed);
        }
    }
}

int KeyedTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int KeyedTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant KeyedTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row &r = m_rows.at(index.row());
    const Values &cell = r.cells.at(index.column());
    const auto it = cell.constFind(role);
    return it != cell.cend() ? *it : r.rowValues.value(role);
}

QVariant KeyedTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0
        && section < m_headers.size()) {
        return m_headers.at(section);
    }
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace codalab::ui
