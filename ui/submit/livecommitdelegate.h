// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace codalab::ui {

/// An item delegate whose line editors hand every keystroke to the model at once, the editor staying open:
/// a dependency row is looked up while it is typed (debounced by DependencyResolver), not only once the
/// cell is left, and never shows "names no bundle" for a target that is half typed.
class LiveCommitDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(
        QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    /// Leaves the text alone while it is typed: the model's answer to a commit is the same text, and setting
    /// it again would move the cursor to the end.
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
};

} // namespace codalab::ui
