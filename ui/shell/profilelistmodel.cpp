// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/profilelistmodel.h"

#include "secrets/profilestore.h"

#include <QFont>

namespace codalab::ui {

ProfileListModel::ProfileListModel(secrets::ProfileStore *store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
    , m_profiles(store->profiles())
    , m_current(store->currentProfileId())
{
    // A handful of profiles, changed from a dialog: a reset is simplest and views lose nothing that matters.
    connect(store, &secrets::ProfileStore::profilesChanged, this, &ProfileListModel::reload);
    connect(store, &secrets::ProfileStore::currentProfileChanged, this, [this](const QString &id) {
        const int before = rowOf(m_current);
        m_current = id;
        for (const int row : { before, rowOf(id) }) {
            if (row >= 0) {
                Q_EMIT dataChanged(index(row), index(row), { Qt::FontRole });
            }
        }
    });
}

void ProfileListModel::reload()
{
    beginResetModel();
    m_profiles = m_store->profiles();
    m_current = m_store->currentProfileId();
    endResetModel();
}

int ProfileListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_profiles.size());
}

int ProfileListModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).id == id) {
            return i;
        }
    }
    return -1;
}

QVariant ProfileListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const secrets::Profile &p = m_profiles.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return p.local ? p.name : tr("%1\n%2 at %3").arg(p.name, p.username, p.serverUrl);
    case Qt::ToolTipRole:
        return p.local ? tr("This computer's own CodaLab server; no account needed") : p.serverUrl;
    case Qt::FontRole:
        if (p.id == m_current) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case IdRole:
        return p.id;
    case LocalRole:
        return p.local;
    default:
        return {};
    }
}

} // namespace codalab::ui
