// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QTableView;
class QToolButton;

namespace codalab::ui {

class DependencyModel;

/// The dependency table of the submission dialog (key, bundle[/subpath], what it resolves to) with
/// add and remove buttons beside it.
///
/// Usage: construct over a DependencyModel; "Add dependency" appends a row and starts editing its key
/// (Tab goes on to its target), "Remove dependency" removes the current row. Tab leaves the table.
class DependencyEditor : public QWidget
{
    Q_OBJECT
public:
    explicit DependencyEditor(DependencyModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    /// Makes `row` current and shows it (the first bad row, when the dialog marks the table).
    void showRow(int row);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    DependencyModel *m_model;
    QTableView *m_view;
};

} // namespace codalab::ui
