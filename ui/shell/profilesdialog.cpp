// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/profilesdialog.h"

#include "secrets/profilestore.h"
#include "secrets/secretstore.h"
#include "shell/profilelistmodel.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace codalab::ui {

ProfilesDialog::ProfilesDialog(
    secrets::ProfileStore *profiles, secrets::SecretStore *secrets, QWidget *parent)
    : QDialog(parent)
    , m_profiles(profiles)
    , m_secrets(secrets)
    , m_model(new ProfileListModel(profiles, this))
{
    setWindowTitle(tr("Servers and accounts"));
    auto *layout = new QHBoxLayout(this);

    auto *left = new QVBoxLayout;
    m_list = new QListView(this);
    m_list->setModel(m_model);
    m_list->setAccessibleName(tr("Profiles"));
    m_list->setMinimumWidth(240);
    left->addWidget(m_list);
    auto *add = new QPushButton(tr("&Add server…"), this);
    m_remove = new QPushButton(tr("&Remove"), this);
    auto *leftButtons = new QHBoxLayout;
    leftButtons->addWidget(add);
    leftButtons->addWidget(m_remove);
    left->addLayout(leftButtons);
    layout->addLayout(left);

    auto *right = new QVBoxLayout;
    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_url = new QLineEdit(this);
    m_url->setPlaceholderText(QStringLiteral("https://worksheets.codalab.org"));
    m_user = new QLineEdit(this);
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("kept in the keyring"));
    m_worksheet = new QLineEdit(this);
    m_worksheet->setPlaceholderText(tr("home worksheet"));
    m_queue = new QLineEdit(this);
    m_queue->setPlaceholderText(tr("any worker"));
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Server URL:"), m_url);
    form->addRow(tr("&Username:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(tr("Default &worksheet:"), m_worksheet);
    form->addRow(tr("Default &queue tag:"), m_queue);
    right->addLayout(form);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    right->addWidget(m_note);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    right->addWidget(m_status);
    right->addStretch();
    auto *save = new QPushButton(tr("Sa&ve"), this);
    m_use = new QPushButton(tr("&Use this profile"), this);
    auto *rightButtons = new QHBoxLayout;
    rightButtons->addStretch();
    rightButtons->addWidget(save);
    rightButtons->addWidget(m_use);
    right->addLayout(rightButtons);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    right->addWidget(close);
    layout->addLayout(right, 1);

    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) { showProfile(current.row()); });
    connect(add, &QPushButton::clicked, this, &ProfilesDialog::addNew);
    connect(save, &QPushButton::clicked, this, &ProfilesDialog::save);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (m_editingId.isEmpty() || m_editingLocal) {
            return;
        }
        const auto profile = m_profiles->profile(m_editingId);
        if (profile && m_profiles->remove(m_editingId)) {
            m_secrets->remove(profile->secretKey());
            m_status->setText(tr("Removed %1 and its keyring entry.").arg(profile->name));
        }
    });
    connect(m_use, &QPushButton::clicked, this, [this] {
        if (!m_editingId.isEmpty() && m_profiles->setCurrentProfile(m_editingId)) {
            Q_EMIT profileActivated(m_editingId);
        }
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (m_saving) {
            return; // save() selects the saved profile itself, once it knows its id
        }
        const int row = m_model->rowOf(m_editingId);
        m_list->setCurrentIndex(m_model->index(row < 0 ? 0 : row));
    });
    const int current = m_model->rowOf(profiles->currentProfileId());
    m_list->setCurrentIndex(m_model->index(current < 0 ? 0 : current));
    if (m_model->rowCount() == 0) {
        addNew();
    }
    resize(760, 380);
}

void ProfilesDialog::setFormEnabled(bool remoteFields)
{
    for (QLineEdit *e : { m_user, m_password }) {
        e->setEnabled(remoteFields);
    }
    // The local server's URL is shown as it is, readable and selectable, but it is not the user's to
    // change (a grey placeholder read as if it were worksheets.codalab.org).
    m_url->setReadOnly(!remoteFields);
    m_url->setPlaceholderText(remoteFields ? QStringLiteral("https://worksheets.codalab.org")
                                           : tr("chosen when this computer's server starts"));
    m_remove->setEnabled(remoteFields && !m_editingId.isEmpty());
    m_use->setEnabled(!m_editingId.isEmpty());
}

void ProfilesDialog::showProfile(int row)
{
    if (row < 0 || row >= m_model->rowCount()) {
        return;
    }
    const secrets::Profile &p = m_model->profile(row);
    m_editingId = p.id;
    m_editingLocal = p.local;
    m_name->setText(p.name);
    m_url->setText(p.local ? m_localUrl : p.serverUrl);
    m_user->setText(p.username);
    m_password->clear();
    m_worksheet->setText(p.defaultWorksheet);
    m_queue->setText(p.defaultQueueTag);
    m_note->setText(p.local
            ? tr("This computer's own CodaLab server (codalab-local-server), started with the "
                 "worker. No account needed; runs and results stay on this machine.")
            : QString());
    m_status->clear();
    setFormEnabled(!p.local);
}

void ProfilesDialog::setLocalServerUrl(const QString &url)
{
    m_localUrl = url;
    if (m_editingLocal) {
        m_url->setText(url);
    }
}

void ProfilesDialog::addNew()
{
    m_list->clearSelection();
    m_editingId.clear();
    m_editingLocal = false;
    for (QLineEdit *e : { m_name, m_url, m_user, m_password, m_worksheet, m_queue }) {
        e->clear();
        e->setStyleSheet({});
    }
    m_note->setText(tr("A CodaLab server you have an account on."));
    m_status->clear();
    setFormEnabled(true);
    m_url->setFocus();
}

bool ProfilesDialog::save()
{
    const QString url = m_url->text().trimmed();
    const QUrl parsed(url);
    QList<QPair<QLineEdit *, QString>> errors;
    if (!m_editingLocal) {
        if (!parsed.isValid()
            || (parsed.scheme() != QLatin1String("https") && parsed.scheme() != QLatin1String("http"))
            || parsed.host().isEmpty()) {
            errors.append(
                { m_url, tr("The server URL must start with https:// (or http://) and name a host.") });
        }
        if (m_user->text().trimmed().isEmpty()) {
            errors.append({ m_user, tr("Enter your CodaLab username.") });
        }
    }
    for (QLineEdit *e : { m_url, m_user }) {
        e->setStyleSheet({});
    }
    if (!errors.isEmpty()) {
        QStringList messages;
        for (const auto &[field, message] : errors) {
            field->setStyleSheet(QStringLiteral("border: 1px solid #b00020;"));
            messages.append(message);
        }
        errors.first().first->setFocus();
        m_status->setText(messages.join(QLatin1Char('\n')));
        return false;
    }
    secrets::Profile p;
    if (!m_editingId.isEmpty()) {
        p = m_profiles->profile(m_editingId).value_or(secrets::Profile());
    }
    p.name = m_name->text().trimmed().isEmpty() ? parsed.host() : m_name->text().trimmed();
    if (!m_editingLocal) {
        p.serverUrl = url;
        p.username = m_user->text().trimmed();
    }
    p.defaultWorksheet = m_worksheet->text().trimmed();
    p.defaultQueueTag = m_queue->text().trimmed();
    const QString password = m_editingLocal ? QString() : m_password->text();
    bool ok;
    m_saving = true;
    if (m_editingId.isEmpty()) {
        m_editingId = m_profiles->add(p);
        ok = !m_editingId.isEmpty();
    } else {
        ok = m_profiles->update(p);
    }
    m_saving = false;
    if (!ok) {
        m_status->setText(m_profiles->errorString());
        return false;
    }
    m_list->setCurrentIndex(m_model->index(m_model->rowOf(m_editingId)));
    m_status->setText(tr("Saved."));
    if (!password.isEmpty()) {
        const secrets::Profile saved = m_profiles->profile(m_editingId).value_or(p);
        secrets::SecretJob *job = m_secrets->write(saved.secretKey(), password);
        connect(job, &secrets::SecretJob::finished, this, [this](const secrets::SecretResult &result) {
            const QString message = result.ok()
                ? tr("Saved; the password is in the keyring.")
                : tr("Saved, but the keyring refused the password: %1").arg(result.error.message);
            m_status->setText(message);
            Q_EMIT secretSaved(result.ok(), message);
        });
    }
    m_use->setEnabled(true);
    m_remove->setEnabled(!m_editingLocal);
    return true;
}

} // namespace codalab::ui
