// SPDX-License-Identifier: GPL-3.0-or-later
#include "submit/dependencyeditor.h"

#include "submit/dependencymodel.h"
#include "submit/livecommitdelegate.h"

#include <QDragMoveEvent>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMenu>
#include <QMimeData>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace codalab::ui {

DependencyEditor::DependencyEditor(DependencyModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_view(new QTableView)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    m_view->setObjectName(QStringLiteral("dependencies"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(new LiveCommitDelegate(m_view));
    m_view->setTabKeyNavigation(false); // Tab leaves the table; the arrows move within it
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->setColumnWidth(DependencyModel::KeyColumn, 110);
    m_view->setColumnWidth(DependencyModel::TargetColumn, 220);
    // The header and three rows at least; a taller dialog gives the table the room.
    m_view->setMinimumHeight(
        m_view->verticalHeader()->defaultSectionSize() * 4 + 2 * m_view->frameWidth() + 2);
    m_view->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    m_view->installEventFilter(this);
    m_view->setToolTip(tr("key: bundle[/subpath], as cl run takes them, or a folder or file of this computer "
                          "(dropped here, or with the … button); the key may be left empty"));
    m_view->setAccessibleName(tr("Dependencies"));
    row->addWidget(m_view, 1);

    auto *buttons = new QVBoxLayout;
    buttons->setSpacing(4);
    auto *add = new QToolButton;
    add->setText(QStringLiteral("+"));
    add->setAccessibleName(tr("Add dependency"));
    add->setToolTip(tr("Add a dependency"));
    auto *remove = new QToolButton;
    remove->setText(QStringLiteral("−"));
    remove->setAccessibleName(tr("Remove dependency"));
    remove->setToolTip(tr("Remove the selected dependency"));
    // A folder or file of this computer: uploaded as a bundle when the run is submitted.
    auto *local = new QToolButton;
    local->setText(QStringLiteral("…"));
    local->setAccessibleName(tr("Add local folder or file"));
    local->setToolTip(
        tr("Use a folder or file of this computer (uploaded when you submit; also by dropping it "
           "on the table)"));
    local->setPopupMode(QToolButton::InstantPopup);
    auto *localMenu = new QMenu(local);
    localMenu->addAction(tr("Local &folder…"), this, [this] { browseLocal(true); });
    localMenu->addAction(tr("Local f&ile…"), this, [this] { browseLocal(false); });
    local->setMenu(localMenu);
    for (QToolButton *b : { add, remove, local }) {
        b->setFixedWidth(28);
        buttons->addWidget(b);
    }
    m_view->viewport()->setAcceptDrops(true);
    m_view->viewport()->installEventFilter(this);
    buttons->addStretch();
    row->addLayout(buttons);

    connect(add, &QToolButton::clicked, this, [this] {
        const int added = m_model->appendRow();
        const QModelIndex key = m_model->index(added, DependencyModel::KeyColumn);
        m_view->setFocus();
        m_view->setCurrentIndex(key);
        m_view->edit(key);
    });
    connect(remove, &QToolButton::clicked, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid()) {
            m_model->removeRows(current.row(), 1);
        }
    });
}

void DependencyEditor::browseLocal(bool folder)
{
    auto *dialog = new QFileDialog(this, folder ? tr("Folder to use") : tr("File to use"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(folder ? QFileDialog::Directory : QFileDialog::ExistingFile);
    if (folder) {
        dialog->setOption(QFileDialog::ShowDirsOnly);
    }
    connect(
        dialog, &QFileDialog::fileSelected, this, [this](const QString &path) { addLocalPaths({ path }); });
    dialog->open();
}

void DependencyEditor::addLocalPaths(const QStringList &paths)
{
    for (const QString &path : paths) {
        // The key (where it appears in the run's directory) is its name; the user may change it.
        const int row = m_model->appendRow(QString(), QFileInfo(path).absoluteFilePath());
        showRow(row);
    }
}

bool DependencyEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport()
        && (event->type() == QEvent::DragEnter || event->type() == QEvent::DragMove)) {
        auto *drag = static_cast<QDragMoveEvent *>(event);
        if (drag->mimeData()->hasUrls()) {
            drag->acceptProposedAction();
            return true;
        }
    }
    if (watched == m_view->viewport() && event->type() == QEvent::Drop) {
        auto *drop = static_cast<QDropEvent *>(event);
        QStringList paths;
        for (const QUrl &url : drop->mimeData()->urls()) {
            if (url.isLocalFile()) {
                paths << url.toLocalFile();
            }
        }
        addLocalPaths(paths);
        drop->acceptProposedAction();
        return true;
    }
    // A selected row shows its status in the highlight colours, which hides a problem's red; the current
    // row (what "Remove dependency" removes) stays.
    if (watched == m_view && event->type() == QEvent::FocusOut) {
        m_view->selectionModel()->clearSelection();
    }
    return QWidget::eventFilter(watched, event);
}

void DependencyEditor::showRow(int row)
{
    const QModelIndex target = m_model->index(row, DependencyModel::TargetColumn);
    m_view->setCurrentIndex(target);
    m_view->scrollTo(target);
}

} // namespace codalab::ui
