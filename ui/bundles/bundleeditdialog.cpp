// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundles/bundleeditdialog.h"

#include "server/metadatakey.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace codalab::ui {

BundleEditDialog::BundleEditDialog(const QString &uuid, const QString &name, const QString &description,
    const QStringList &tags, QWidget *parent)
    : QDialog(parent)
    , m_uuid(uuid)
    , m_oldName(name)
    , m_oldDescription(description)
    , m_oldTags(tags)
    , m_name(new QLineEdit(name, this))
    , m_description(new QPlainTextEdit(description, this))
    , m_tags(new QLineEdit(tags.join(QLatin1Char(' ')), this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Edit %1").arg(name));
    setWindowModality(Qt::WindowModal);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->setWordWrap(true);
    m_tags->setPlaceholderText(tr("Separated by spaces"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Description:"), m_description);
    form->addRow(tr("&Tags:"), m_tags);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        static const QRegularExpression valid(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_.\\-]*$"));
        if (!valid.match(m_name->text().trimmed()).hasMatch()) {
            showError(
                tr("A bundle name starts with a letter or _ and holds only letters, digits, _ . and -."));
            return;
        }
        const QJsonObject metadata = changes();
        if (metadata.isEmpty()) {
            accept();
            return;
        }
        m_buttons->button(QDialogButtonBox::Save)->setEnabled(false); // until the server answers
        Q_EMIT saveRequested(m_uuid, metadata);
    });
    resize(460, 260);
}

QJsonObject BundleEditDialog::changes() const
{
    QJsonObject out;
    if (m_name->text().trimmed() != m_oldName) {
        out.insert(server::MetadataKey::Name, m_name->text().trimmed());
    }
    if (m_description->toPlainText() != m_oldDescription) {
        out.insert(server::MetadataKey::Description, m_description->toPlainText());
    }
    const QStringList tags
        = m_tags->text().split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts);
    if (tags != m_oldTags) {
        out.insert(server::MetadataKey::Tags, QJsonArray::fromStringList(tags));
    }
    return out;
}

void BundleEditDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(true);
}

} // namespace codalab::ui
