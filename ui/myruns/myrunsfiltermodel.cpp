// SPDX-License-Identifier: GPL-3.0-or-later
#include "myruns/myrunsfiltermodel.h"

#include "myruns/myrunsmodel.h"

namespace codalab::ui {

MyRunsFilterModel::MyRunsFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(MyRunsModel::SortRole);
}

void MyRunsFilterModel::setStates(const QStringList &states)
{
    if (states == m_states) {
        return;
    }
    m_states = states;
    invalidateFilter();
}

void MyRunsFilterModel::setText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text) {
        return;
    }
    m_text = trimmed;
    invalidateFilter();
}

bool MyRunsFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant l = left.data(sortRole());
    const QVariant r = right.data(sortRole());
    if (l != r) {
        return QSortFilterProxyModel::lessThan(left, right);
    }
    return left.row() > right.row(); // the source is newest first: a lower row is newer
}

bool MyRunsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    const QModelIndex first = model->index(sourceRow, 0, sourceParent);
    if (!m_states.isEmpty() && !m_states.contains(first.data(MyRunsModel::StateRole).toString())) {
        return false;
    }
    if (m_text.isEmpty()) {
        return true;
    }
    if (first.data(MyRunsModel::UuidRole).toString().contains(m_text, Qt::CaseInsensitive)) {
        return true;
    }
    for (const int column : { MyRunsModel::NameColumn, MyRunsModel::CommandColumn, MyRunsModel::ImageColumn,
             MyRunsModel::QueueColumn }) {
        if (model->index(sourceRow, column, sourceParent)
                .data()
                .toString()
                .contains(m_text, Qt::CaseInsensitive)) {
            return true;
        }
    }
    return false;
}

} // namespace codalab::ui
