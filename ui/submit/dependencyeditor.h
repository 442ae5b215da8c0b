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
/// (Tab goes on to its target), "Remove dependency" removes the current row, "…" (or a drop on the table)
/// adds a folder or file of this computer, uploaded when the run is submitted. Tab leaves the table.
class DependencyEditor : public QWidget
{
    Q_OBJECT
public:
    explicit DependencyEditor(DependencyModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    /// Makes `row` current and shows it (the first bad row, when the dialog marks the table).
    void showRow(int row);
    /// Adds a row for each folder or file of this computer (also what dropping them on the table does).
    void addLocalPaths(const QStringList &paths);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void browseLocal(bool folder);

    DependencyModel *m_model;
    QTableView *m_view;
};

} // namespace codalab::ui
