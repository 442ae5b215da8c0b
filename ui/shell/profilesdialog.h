// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;

namespace codalab::secrets {
class ProfileStore;
class SecretStore;
} // namespace codalab::secrets

namespace codalab::ui {

class ProfileListModel;

/// Login and profiles: the CodaLab servers and accounts this desktop knows, and which one it uses. The
/// built-in "This computer (local)" profile needs no account. A password typed here goes to the keyring
/// (SecretStore), never to the settings file.
///
/// Usage: construct with the stores; exec()/open(). "Use" makes the selected profile current and emits
/// profileActivated(id); the caller logs in. Saving marks a bad URL or a missing user where they are.
class ProfilesDialog : public QDialog
{
    Q_OBJECT
public:
    ProfilesDialog(secrets::ProfileStore *profiles, secrets::SecretStore *secrets, QWidget *parent = nullptr);
    /// Where this computer's own server answers (shown, read-only, for the local profile).
    void setLocalServerUrl(const QString &url);
    QLineEdit *urlEdit() const { return m_url; }

    /// Starts a new profile in the form (the "Add server" button).
    void addNew();
    /// Saves the form; the password, when typed, is written to the keyring (asynchronously).
    bool save();

Q_SIGNALS:
    void profileActivated(const QString &id);
    /// The keyring write of a saved password finished.
    void secretSaved(bool ok, const QString &message);

private:
    void showProfile(int row);
    void setFormEnabled(bool remoteFields);

    secrets::ProfileStore *m_profiles;
    secrets::SecretStore *m_secrets;
    ProfileListModel *m_model;
    QString m_editingId; ///< empty: a new profile
    QString m_localUrl;
    bool m_editingLocal = false;
    bool m_saving = false;

    QListView *m_list;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLineEdit *m_worksheet;
    QLineEdit *m_queue;
    QLabel *m_note;
    QLabel *m_status;
    QPushButton *m_remove;
    QPushButton *m_use;
};

} // namespace codalab::ui
