// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/profile.h"

#include <QAbstractListModel>

namespace codalab::secrets {
class ProfileStore;
}

namespace codalab::ui {

/// The profiles of a ProfileStore (the local one first, then by name), for the profile list. The store is
/// the truth: the model follows its profilesChanged() and currentProfileChanged() (the current one is bold).
class ProfileListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, LocalRole };

    explicit ProfileListModel(secrets::ProfileStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    /// The row of the profile with this id; -1 when none.
    int rowOf(const QString &id) const;
    const secrets::Profile &profile(int row) const { return m_profiles.at(row); }

private:
    void reload();

    secrets::ProfileStore *m_store;
    QList<secrets::Profile> m_profiles;
    QString m_current;
};

} // namespace codalab::ui
