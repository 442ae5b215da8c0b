// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace codalab::ui {

class TransferModel;
class TransferQueue;

/// The list of uploads and saves with Cancel (also in the right-click menu) and Clear finished. It hides
/// itself while there is nothing to show.
class TransferPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TransferPanel(TransferQueue *queue, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    TransferModel *model() const { return m_model; }
    /// Cancels the selected transfer, if it runs.
    void cancelSelected();

private:
    int selectedId() const;
    void update();

    TransferQueue *m_queue;
    TransferModel *m_model;
    QTableView *m_table;
    QLabel *m_summary;
    QPushButton *m_cancel;
    QPushButton *m_clear;
};

} // namespace codalab::ui
