// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QJsonObject>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace codalab::ui {

/// Edit…: a bundle's name, description and tags (what `cl edit -n -d -T` changes).
///
/// Usage: construct with the current values; open(). saveRequested(uuid, metadata) with only the keys that
/// changed; showError() keeps it open with the server's refusal.
class BundleEditDialog : public QDialog
{
    Q_OBJECT
public:
    BundleEditDialog(const QString &uuid, const QString &name, const QString &description,
        const QStringList &tags, QWidget *parent = nullptr);

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *tagsEdit() const { return m_tags; }
    /// The metadata keys that differ from what it opened with.
    QJsonObject changes() const;
    void showError(const QString &message);

Q_SIGNALS:
    void saveRequested(const QString &uuid, const QJsonObject &metadata);

private:
    QString m_uuid;
    QString m_oldName;
    QString m_oldDescription;
    QStringList m_oldTags;
    QLineEdit *m_name;
    QPlainTextEdit *m_description;
    QLineEdit *m_tags;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace codalab::ui
