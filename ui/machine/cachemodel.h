// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/keyedtablemodel.h"

#include <QDateTime>
#include <QJsonObject>

namespace codalab::ui {

/// The worker's caches as its `caches` control method lists them: one row per dependency (the bundle and
/// path a run mounts) and per Docker image, with its size, when a run last used it, whether a run uses it
/// now, and its state (an image the worker did not pull is marked as kept: cleaning never removes it).
///
/// Usage: setCaches() with each `caches` answer; rows are keyed by kind and name and updated in place.
/// KindRole ("dependency" or "image"), InUseRole (bool) and SizeRole (bytes) answer on every cell.
class CacheModel : public KeyedTableModel
{
    Q_OBJECT
public:
    enum Column { KindColumn, NameColumn, SizeColumn, LastUsedColumn, InUseColumn, StateColumn, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 1, InUseRole, SizeRole };

    explicit CacheModel(QObject *parent = nullptr);

    /// `now` (epoch s) is what "last used … ago" counts from.
    void setCaches(const QJsonObject &caches, qint64 now = QDateTime::currentSecsSinceEpoch());
};

} // namespace codalab::ui
