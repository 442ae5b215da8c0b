// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundles/contentsmodel.h"

#include "common/units.h"
#include "server/apijob.h"
#include "server/codalabclient.h"

#include <QIcon>
#include <QJsonArray>

namespace codalab::ui {

ContentsModel::ContentsModel(server::CodaLabClient *client, QObject *parent)
    : QAbstractItemModel(parent)
    , m_client(client)
{ }

ContentsModel::~ContentsModel() = default;

std::unique_ptr<ContentsModel::Node> ContentsModel::nodeFrom(
    const QJsonObject &info, const QString &path, Node *parent)
{
    auto node = std::make_unique<Node>();
    node->name = info.value(QLatin1String("name")).toString();
    node->path = path;
    node->type = info.value(QLatin1String("type")).toString();
    node->size = qint64(info.value(QLatin1String("size")).toDouble());
    node->perm = info.value(QLatin1String("perm")).toInt();
    node->link = info.value(QLatin1String("link")).toString();
    node->parent = parent;
    return node;
}

void ContentsModel::setBundle(const QString &uuid)
{
    beginResetModel();
    m_uuid = uuid;
    m_root.reset();
    ++m_generation;
    endResetModel();
    if (m_rootJob) {
        m_rootJob->cancel();
    }
    m_rootJob = m_client->contentsInfo(uuid, QString(), 1);
    const int generation = m_generation;
    connect(m_rootJob, &server::ApiJob::finished, this, [this, generation](const server::ApiResult &r) {
        if (generation != m_generation) {
            return;
        }
        if (!r.ok()) {
            Q_EMIT failed(r.error.message);
            return;
        }
        const QJsonObject info = r.json.object().value(QLatin1String("data")).toObject();
        beginResetModel();
        m_root = std::make_unique<Node>();
        m_root->type = QStringLiteral("directory");
        m_root->fetched = true;
        if (info.value(QLatin1String("type")).toString() == QLatin1String("directory")) {
            for (const QJsonValue &child : info.value(QLatin1String("contents")).toArray()) {
                const QString name = child[QLatin1String("name")].toString();
                m_root->children.push_back(nodeFrom(child.toObject(), name, m_root.get()));
            }
        } else {
            // The bundle is one file: it is its own one row, at the path "".
            auto file = nodeFrom(info, QString(), m_root.get());
            file->name = info.value(QLatin1String("name")).toString();
            m_root->children.push_back(std::move(file));
        }
        endResetModel();
        Q_EMIT loaded();
    });
}

ContentsModel::Node *ContentsModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex ContentsModel::indexOf(Node *node) const
{
    if (!node || node == m_root.get() || !node->parent) {
        return {};
    }
    const auto &siblings = node->parent->children;
    for (size_t i = 0; i < siblings.size(); ++i) {
        if (siblings[i].get() == node) {
            return createIndex(int(i), 0, node);
        }
    }
    return {};
}

QModelIndex ContentsModel::indexOfPath(const QString &path) const
{
    Node *node = m_root.get();
    if (!node) {
        return {};
    }
    for (const QString &part : path.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        Node *next = nullptr;
        for (const auto &child : node->children) {
            if (child->name == part) {
                next = child.get();
            }
        }
        if (!next) {
            return {};
        }
        node = next;
    }
    return indexOf(node);
}

QModelIndex ContentsModel::index(int row, int column, const QModelIndex &parent) const
{
    Node *p = nodeOf(parent);
    if (!p || row < 0 || row >= int(p->children.size()) || column < 0 || column >= ColumnCount) {
        return {};
    }
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex ContentsModel::parent(const QModelIndex &child) const
{
    if (!child.isValid()) {
        return {};
    }
    return indexOf(static_cast<Node *>(child.internalPointer())->parent);
}

int ContentsModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0) {
        return 0;
    }
    Node *node = nodeOf(parent);
    return node ? int(node->children.size()) : 0;
}

int ContentsModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool ContentsModel::hasChildren(const QModelIndex &parent) const
{
    Node *node = nodeOf(parent);
    if (!node || parent.column() > 0) {
        return false;
    }
    return node->type == QLatin1String("directory") && (!node->fetched || !node->children.empty());
}

bool ContentsModel::canFetchMore(const QModelIndex &parent) const
{
    Node *node = nodeOf(parent);
    return node && parent.isValid() && node->type == QLatin1String("directory") && !node->fetched
        && !node->fetching;
}

void ContentsModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent)) {
        fetch(nodeOf(parent));
    }
}

void ContentsModel::fetch(Node *node)
{
    node->fetching = true;
    server::ApiJob *job = m_client->contentsInfo(m_uuid, node->path, 1);
    const int generation = m_generation;
    const QString path = node->path;
    connect(job, &server::ApiJob::finished, this, [this, generation, path](const server::ApiResult &r) {
        if (generation != m_generation) {
            return;
        }
        const QModelIndex at = indexOfPath(path);
        Node *node = nodeOf(at);
        if (!at.isValid() || !node) {
            return;
        }
        node->fetching = false;
        node->fetched = true;
        if (!r.ok()) {
            Q_EMIT failed(r.error.message);
            return;
        }
        const QJsonArray contents = r.json.object()
                                        .value(QLatin1String("data"))
                                        .toObject()
                                        .value(QLatin1String("contents"))
                                        .toArray();
        if (contents.isEmpty()) {
            Q_EMIT dataChanged(at, at); // no children after all: the expander goes
            return;
        }
        beginInsertRows(at, 0, int(contents.size()) - 1);
        for (const QJsonValue &child : contents) {
            node->children.push_back(nodeFrom(
                child.toObject(), path + QLatin1Char('/') + child[QLatin1String("name")].toString(), node));
        }
        endInsertRows();
    });
}

QVariant ContentsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid()) {
        return {};
    }
    const Node *node = static_cast<Node *>(index.internalPointer());
    const bool dir = node->type == QLatin1String("directory");
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return node->type == QLatin1String("link") ? node->name + QStringLiteral(" → ") + node->link
                                                       : node->name;
        case SizeColumn:
            return node->type == QLatin1String("link") ? QString() : Units::bytes(double(node->size));
        case KindColumn:
            return dir ? tr("folder") : node->type == QLatin1String("link") ? tr("link") : tr("file");
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() == NameColumn) {
            return QIcon::fromTheme(dir ? QStringLiteral("folder") : QStringLiteral("text-x-generic"));
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == SizeColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ToolTipRole:
        return node->path.isEmpty() ? node->name : node->path;
    case PathRole:
        return node->path;
    case TypeRole:
        return node->type;
    case SizeRole:
        return node->size;
    default:
        return {};
    }
}

QVariant ContentsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case NameColumn:
        return tr("Name");
    case SizeColumn:
        return tr("Size");
    case KindColumn:
        return tr("Kind");
    default:
        return {};
    }
}

} // namespace codalab::ui
