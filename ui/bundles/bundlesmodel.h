// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/keyedtablemodel.h"

#include <QJsonObject>
#include <QPointer>

namespace codalab::server {
class ApiJob;
class CodaLabClient;
} // namespace codalab::server

namespace codalab::ui {

/// The bundles of one worksheet, in its order: type, name, state, size, owner (by name), created, from
/// GET /rest/worksheets/<uuid> with its items, their bundles and owners (what `cl ls` shows).
///
/// Usage: setWorksheet(uuid); refresh() loads it again (a load in flight is not doubled); loaded() or
/// failed(message) after each load.
class BundlesModel : public KeyedTableModel
{
    Q_OBJECT
public:
    enum Column { TypeColumn, NameColumn, StateColumn, SizeColumn, OwnerColumn, CreatedColumn, ColumnCount };
    enum Role {
        UuidRole = Qt::UserRole + 1,
        NameRole,
        StateRole,
        TypeRole,
        DescriptionRole,
        TagsRole,
        SortRole,
        BundleRole, ///< the bundle's JSON:API attributes
    };

    explicit BundlesModel(server::CodaLabClient *client, QObject *parent = nullptr);

    void setWorksheet(const QString &uuid);
    const QString &worksheet() const { return m_worksheet; }
    void refresh();
    /// Reads the rows from a worksheet document (include=items,items.bundle,items.bundle.owner).
    void setDocument(const QJsonObject &document);
    /// The row of a bundle's first appearance, or -1.
    int rowOfBundle(const QString &uuid) const;

Q_SIGNALS:
    void loaded();
    void failed(const QString &message);

private:
    server::CodaLabClient *m_client;
    QString m_worksheet;
    QPointer<server::ApiJob> m_job;
};

} // namespace codalab::ui
