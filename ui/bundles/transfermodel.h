// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/keyedtablemodel.h"

namespace codalab::ui {

class TransferQueue;

/// The transfers of a TransferQueue as a table: what, how far, how fast, time left, and how it ended.
class TransferModel : public KeyedTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, ProgressColumn, RateColumn, LeftColumn, StateColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, RunningRole, FractionRole };

    explicit TransferModel(TransferQueue *queue, QObject *parent = nullptr);

private:
    void rebuild();

    TransferQueue *m_queue;
};

} // namespace codalab::ui
