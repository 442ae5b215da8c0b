// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractItemModel>
#include <QJsonObject>
#include <QPointer>

#include <memory>
#include <vector>

namespace codalab::server {
class ApiJob;
class CodaLabClient;
} // namespace codalab::server

namespace codalab::ui {

/// The files of a bundle as a tree (name, size, kind), read from the server a directory at a time as the
/// view opens it (GET .../contents/info/<path>?depth=1: canFetchMore()/fetchMore()). A bundle whose contents
/// are one file shows that file as its one row.
///
/// Usage: setBundle(uuid); loaded() when the top is in, failed(message) when the server says why not (no
/// contents yet, the bundle is gone).
class ContentsModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, KindColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1, TypeRole, SizeRole };

    explicit ContentsModel(server::CodaLabClient *client, QObject *parent = nullptr);
    ~ContentsModel() override;

    void setBundle(const QString &uuid);
    const QString &bundle() const { return m_uuid; }
    /// The index of a path already loaded, or an invalid one.
    QModelIndex indexOfPath(const QString &path) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loaded();
    void failed(const QString &message);

private:
    struct Node
    {
        QString name;
        QString path; ///< in the bundle; "" for the bundle itself
        QString type; ///< file, directory or link
        qint64 size = 0;
        int perm = 0;
        QString link;
        bool fetched = false;
        bool fetching = false;
        Node *parent = nullptr;
        std::vector<std::unique_ptr<Node>> children;
    };
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(Node *node) const;
    void fetch(Node *node);
    static std::unique_ptr<Node> nodeFrom(const QJsonObject &info, const QString &path, Node *parent);

    server::CodaLabClient *m_client;
    QString m_uuid;
    std::unique_ptr<Node> m_root;
    QPointer<server::ApiJob> m_rootJob;
    int m_generation = 0; ///< answers of an earlier bundle are dropped
};

} // namespace codalab::ui
