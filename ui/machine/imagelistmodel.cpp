// SPDX-License-Identifier: GPL-3.0-or-later
#include "machine/imagelistmodel.h"

#include "common/units.h"

#include <QLocale>

namespace codalab::ui {

using docker::ImageInfo;

namespace {

bool sameRow(const ImageInfo &a, const ImageInfo &b)
{
    return a.repoTags == b.repoTags && a.sizeBytes == b.sizeBytes && a.created == b.created
        && a.repoDigests == b.repoDigests;
}

} // namespace

void ImageListModel::setImages(const QList<ImageInfo> &images)
{
    // Rows that are gone, from the bottom so the indexes above stay valid.
    for (int row = int(m_images.size()) - 1; row >= 0; --row) {
        const QString id = m_images.at(row).id;
        const bool kept
            = std::any_of(images.begin(), images.end(), [&id](const ImageInfo &i) { return i.id == id; });
        if (!kept) {
            beginRemoveRows({}, row, row);
            m_images.removeAt(row);
            endRemoveRows();
        }
    }
    for (const ImageInfo &image : images) {
        const auto it = std::find_if(
            m_images.begin(), m_images.end(), [&image](const ImageInfo &i) { return i.id == image.id; });
        if (it == m_images.end()) {
            const int row = int(m_images.size());
            beginInsertRows({}, row, row);
            m_images.append(image);
            endInsertRows();
        } else if (!sameRow(*it, image)) {
            *it = image;
            const int row = int(it - m_images.begin());
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
}

int ImageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_images.size());
}

int ImageListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ImageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) {
        return {};
    }
    const ImageInfo &image = m_images.at(index.row());
    const QStringList tags = image.userTags(); // not the caches' bookkeeping tags
    const QString reference = tags.isEmpty() ? tr("<untagged>") : tags.first();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return reference;
        case IdColumn:
            return image.id.mid(7, 12); // as `docker images` shows it, without "sha256:"
        case SizeColumn:
            return Units::bytes(double(image.sizeBytes));
        case CreatedColumn:
            return QLocale().toString(image.created.toLocalTime(), QLocale::ShortFormat);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return QString(tags.join(QLatin1Char('\n')) + QLatin1Char('\n') + image.digest());
    case Qt::TextAlignmentRole:
        return index.column() == SizeColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case ReferenceRole:
        return tags.isEmpty() ? image.id : tags.first();
    case SizeBytesRole:
        return image.sizeBytes;
    case SortRole:
        switch (index.column()) {
        case NameColumn:
            // Untagged images (build leftovers) after the named ones, so the first row is one to run.
            return tags.isEmpty() ? QString(QChar(0xFFFF) + image.id) : reference;
        case IdColumn:
            return image.id;
        case SizeColumn:
            return image.sizeBytes;
        case CreatedColumn:
            return image.created.toMSecsSinceEpoch();
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant ImageListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case NameColumn:
        return tr("Image");
    case IdColumn:
        return tr("ID");
    case SizeColumn:
        return tr("Size");
    case CreatedColumn:
        return tr("Created");
    default:
        return {};
    }
}

} // namespace codalab::ui
