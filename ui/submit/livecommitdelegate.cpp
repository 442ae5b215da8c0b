// SPDX-License-Identifier: GPL-3.0-or-later
#include "submit/livecommitdelegate.h"

#include <QLineEdit>

namespace codalab::ui {

QWidget *LiveCommitDelegate::createEditor(
    QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
    if (auto *line = qobject_cast<QLineEdit *>(editor)) {
        connect(line, &QLineEdit::textEdited, this,
            [this, line] { Q_EMIT const_cast<LiveCommitDelegate *>(this)->commitData(line); });
    }
    return editor;
}

void LiveCommitDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *line = qobject_cast<QLineEdit *>(editor);
    if (line && line->text() == index.data(Qt::EditRole).toString()) {
        return;
    }
    QStyledItemDelegate::setEditorData(editor, index);
}

} // namespace codalab::ui
