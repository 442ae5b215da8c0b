// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>
#include <QStringList>

namespace codalab::ui {

/// Filters and sorts a MyRunsModel for the My runs page: by a set of states and by text found in the
/// uuid, name, command, image or queue (case-insensitive). Sorting uses MyRunsModel::SortRole, so the
/// time columns sort by their numbers, not their text; ties keep the server's order (newest first when
/// descending), which the creation time in whole seconds alone cannot tell apart.
class MyRunsFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit MyRunsFilterModel(QObject *parent = nullptr);

    /// Only these states; empty: all.
    void setStates(const QStringList &states);
    QStringList states() const { return m_states; }
    void setText(const QString &text);
    QString text() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QStringList m_states;
    QString m_text;
};

} // namespace codalab::ui
