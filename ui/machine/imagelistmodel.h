// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/imageinfo.h"

#include <QAbstractTableModel>

namespace codalab::ui {

/// The local Docker images, one row per image id. setImages() applies a new listing row by row, so
/// views keep their selection and scroll position across refreshes.
///
/// Usage: put it behind a QSortFilterProxyModel with `setSortRole(ImageListModel::SortRole)`, so Size sorts
/// by bytes and Created by time rather than by their text.
class ImageListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, IdColumn, SizeColumn, CreatedColumn, ColumnCount };
    enum Role {
        ReferenceRole = Qt::UserRole + 1,
        SizeBytesRole,
        /// What a column sorts by: the name, the id, the size in bytes, the creation time (ms since epoch).
        SortRole,
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setImages(const QList<docker::ImageInfo> &images);
    const docker::ImageInfo &image(int row) const { return m_images.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<docker::ImageInfo> m_images;
};

} // namespace codalab::ui
