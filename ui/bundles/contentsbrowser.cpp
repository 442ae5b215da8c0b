// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundles/contentsbrowser.h"

#include "bundles/contentsmodel.h"
#include "bundles/fileviewer.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace codalab::ui {

ContentsBrowser::ContentsBrowser(
    server::CodaLabClient *client, const QString &uuid, const QString &bundleName, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_uuid(uuid)
    , m_bundleName(bundleName)
    , m_model(new ContentsModel(client, this))
    , m_tree(new QTreeView(this))
    , m_status(new QLabel(tr("Loading…"), this))
    , m_open(new QPushButton(tr("&Open"), this))
    , m_save(new QPushButton(tr("&Save…"), this))
{
    setWindowTitle(tr("Contents of %1").arg(bundleName));
    setAttribute(Qt::WA_DeleteOnClose);
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(ContentsModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_status->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_open, QDialogButtonBox::ActionRole);
    buttons->addButton(m_save, QDialogButtonBox::ActionRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_tree, 1);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_open, &QPushButton::clicked, this, &ContentsBrowser::openSelected);
    connect(m_save, &QPushButton::clicked, this, &ContentsBrowser::saveSelected);
    connect(m_tree, &QTreeView::doubleClicked, this, [this] { openSelected(); });
    connect(m_tree, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->addAction(tr("&Open"), this, &ContentsBrowser::openSelected)->setEnabled(m_open->isEnabled());
        menu->addAction(tr("&Save…"), this, &ContentsBrowser::saveSelected);
        menu->popup(m_tree->viewport()->mapToGlobal(at));
    });
    connect(m_model, &ContentsModel::loaded, this, [this] {
        m_status->setText(tr("Open a file to read it; Save… copies a file or a folder to this computer."));
        m_tree->resizeColumnToContents(ContentsModel::SizeColumn);
    });
    connect(m_model, &ContentsModel::failed, this,
        [this](const QString &message) { m_status->setText(message); });
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ContentsBrowser::update);
    m_model->setBundle(uuid);
    resize(640, 480);
    update();
}

QString ContentsBrowser::selectedPath() const
{
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ContentsModel::PathRole).toString();
}

bool ContentsBrowser::openSelected()
{
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.first().data(ContentsModel::TypeRole).toString() != QLatin1String("file")) {
        return false;
    }
    const QString path = rows.first().data(ContentsModel::PathRole).toString();
    auto *viewer = new FileViewer(
        m_client, m_uuid, path, tr("%1 — %2").arg(path.isEmpty() ? m_bundleName : path, m_bundleName), this);
    viewer->show();
    return true;
}

void ContentsBrowser::saveSelected()
{
    const QString path = selectedPath();
    Q_EMIT saveRequested(m_uuid, path, path.isEmpty() ? m_bundleName : path.section(QLatin1Char('/'), -1));
}

void ContentsBrowser::update()
{
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows();
    m_open->setEnabled(
        !rows.isEmpty() && rows.first().data(ContentsModel::TypeRole).toString() == QLatin1String("file"));
    m_save->setText(rows.isEmpty() ? tr("&Save bundle…") : tr("&Save…"));
}

} // namespace codalab::ui
