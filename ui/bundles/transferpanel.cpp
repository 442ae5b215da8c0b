// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundles/transferpanel.h"

#include "bundles/transfermodel.h"
#include "bundles/transferqueue.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace codalab::ui {

TransferPanel::TransferPanel(TransferQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_model(new TransferModel(queue, this))
    , m_table(new QTableView(this))
    , m_summary(new QLabel(this))
    , m_cancel(new QPushButton(tr("&Cancel transfer"), this))
    , m_clear(new QPushButton(tr("Clear &finished"), this))
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(TransferModel::NameColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(TransferModel::StateColumn, QHeaderView::Stretch);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setMaximumHeight(150);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        QMenu menu(this);
        menu.addAction(tr("&Cancel transfer"), this, &TransferPanel::cancelSelected)
            ->setEnabled(m_cancel->isEnabled());
        menu.addAction(tr("Clear &finished"), m_queue, &TransferQueue::clearFinished);
        menu.exec(m_table->viewport()->mapToGlobal(at));
    });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_table);
    connect(m_cancel, &QPushButton::clicked, this, &TransferPanel::cancelSelected);
    connect(m_clear, &QPushButton::clicked, m_queue, &TransferQueue::clearFinished);
    connect(m_queue, &TransferQueue::changed, this, &TransferPanel::update);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TransferPanel::update);
    update();
}

int TransferPanel::selectedId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(TransferModel::IdRole).toInt();
}

void TransferPanel::cancelSelected()
{
    if (const int id = selectedId()) {
        m_queue->cancel(id);
    }
}

void TransferPanel::update()
{
    setVisible(!m_queue->transfers().isEmpty());
    const QString summary = m_queue->summary();
    m_summary->setText(summary.isEmpty() ? tr("Transfers") : summary);
    const int id = selectedId();
    const TransferQueue::Transfer *t = id ? m_queue->find(id) : nullptr;
    m_cancel->setEnabled(t && t->state == TransferQueue::State::Running);
    m_clear->setEnabled(std::any_of(m_queue->transfers().cbegin(), m_queue->transfers().cend(),
        [](const TransferQueue::Transfer &x) { return x.state != TransferQueue::State::Running; }));
}

} // namespace codalab::ui
