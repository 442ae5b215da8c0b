// SPDX-License-Identifier: GPL-3.0-or-later
#include "machine/dockerpanel.h"

#include "docker/dockerclient.h"
#include "docker/dockerselfcheck.h"
#include "docker/imageinfo.h"
#include "machine/imagelistmodel.h"

#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

namespace codalab::ui {

using namespace docker;

DockerPanel::DockerPanel(DockerClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_images(new ImageListModel(this))
    , m_icon(new QLabel(this))
    , m_headline(new QLabel(this))
    , m_detail(new QLabel(this))
    , m_refreshButton(new QPushButton(tr("&Refresh"), this))
    , m_checkButton(new QPushButton(tr("Run a &test container"), this))
    , m_table(new QTableView(this))
    , m_output(new QPlainTextEdit(this))
{
    QFont headlineFont = m_headline->font();
    headlineFont.setPointSizeF(headlineFont.pointSizeF() * 1.25);
    headlineFont.setBold(true);
    m_headline->setFont(headlineFont);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_detail->setWordWrap(true);

    auto *header = new QHBoxLayout;
    header->addWidget(m_icon, 0, Qt::AlignTop);
    auto *texts = new QVBoxLayout;
    texts->addWidget(m_headline);
    texts->addWidget(m_detail);
    header->addLayout(texts, 1);
    header->addWidget(m_refreshButton, 0, Qt::AlignTop);

    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_images);
    proxy->setSortRole(ImageListModel::SortRole); // bytes and times, not their text
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ImageListModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter); // as the GPU table
    m_table->horizontalHeader()->setSectionResizeMode(ImageListModel::NameColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(
        ImageListModel::IdColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(
        ImageListModel::SizeColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(
        ImageListModel::CreatedColumn, QHeaderView::ResizeToContents);
    m_table->setAccessibleName(tr("Local images"));
    m_table->setWordWrap(false);
    // Four rows at least; a taller window gives the list the room (it was capped at a few rows).
    m_table->setMinimumHeight(m_table->verticalHeader()->defaultSectionSize() * 5);
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    auto *imagesBox = new QGroupBox(tr("Local images"), this);
    auto *imagesLayout = new QVBoxLayout(imagesBox);
    imagesLayout->addWidget(m_table);

    m_output->setReadOnly(true);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_output->setPlaceholderText(
        tr("Runs the selected image with no network, as CodaLab runs bundles, and shows what it printed."));
    m_output->setMaximumHeight(100);
    auto *checkBox = new QGroupBox(tr("Check"), this);
    auto *checkLayout = new QVBoxLayout(checkBox);
    auto *checkRow = new QHBoxLayout;
    checkRow->addWidget(m_checkButton);
    checkRow->addStretch();
    checkLayout->addLayout(checkRow);
    checkLayout->addWidget(m_output);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0); // it sits in a page's group box
    layout->addLayout(header);
    layout->addWidget(imagesBox);
    layout->addWidget(checkBox);
    layout->addStretch(1);

    connect(m_refreshButton, &QPushButton::clicked, this, &DockerPanel::refresh);
    connect(m_checkButton, &QPushButton::clicked, this, &DockerPanel::runCheck);
    setEngineState(true, tr("Connecting to Docker…"), m_client->endpoint().describe());
}

void DockerPanel::refresh()
{
    if (m_versionReply || m_imagesReply) {
        return; // one refresh at a time
    }
    m_versionReply = m_client->version();
    connect(m_versionReply, &DockerReply::finished, this, [this](const DockerResult &r) {
        const QString socket = tr("Socket: %1").arg(m_client->endpoint().describe());
        if (r.error) {
            const QString hint = r.error.kind == DockerError::Kind::PermissionDenied
                ? QString()
                : tr("Start Docker (sudo systemctl start docker), or set DOCKER_HOST to its socket.");
            setEngineState(false, tr("Docker is not available"), r.error.message + QLatin1Char('\n') + hint);
            m_images->setImages({});
            Q_EMIT refreshed();
            return;
        }
        const QJsonObject v = r.json.object();
        setEngineState(true,
            tr("Docker %1 (API %2)")
                .arg(v.value(QLatin1String("Version")).toString(),
                    v.value(QLatin1String("ApiVersion")).toString()),
            tr("%1 · %2/%3 · kernel %4")
                .arg(socket, v.value(QLatin1String("Os")).toString(),
                    v.value(QLatin1String("Arch")).toString(),
                    v.value(QLatin1String("KernelVersion")).toString()));
        m_imagesReply = m_client->listImages();
        connect(m_imagesReply, &DockerReply::finished, this, [this](const DockerResult &list) {
            QList<ImageInfo> images;
            for (const QJsonValue &entry : list.json.array()) {
                images.append(ImageInfo::fromListEntry(entry.toObject()));
            }
            m_images->setImages(images);
            if (!m_table->selectionModel()->hasSelection() && m_table->model()->rowCount() > 0) {
                m_table->selectRow(0);
            }
            m_checkButton->setEnabled(!m_checkRunning && !images.isEmpty());
            Q_EMIT refreshed();
        });
    });
}

void DockerPanel::runCheck()
{
    const QString image = selectedImage();
    if (m_checkRunning || image.isEmpty()) {
        return;
    }
    m_checkRunning = true;
    m_checkButton->setEnabled(false);
    m_output->clear();
    auto *check = new DockerSelfCheck(m_client, image, this);
    connect(check, &DockerSelfCheck::step, m_output, &QPlainTextEdit::appendPlainText);
    connect(check, &DockerSelfCheck::finished, this, [this, check](bool ok, const QString &message) {
        m_output->appendPlainText(ok ? tr("✔ %1").arg(message) : tr("✘ %1").arg(message));
        m_checkRunning = false;
        m_checkButton->setEnabled(true);
        check->deleteLater();
        Q_EMIT checkFinished(ok);
    });
    check->start();
}

QString DockerPanel::statusText() const
{
    return m_headline->text() + QLatin1Char('\n') + m_detail->text();
}

QString DockerPanel::checkOutput() const
{
    return m_output->toPlainText();
}

void DockerPanel::setEngineState(bool ok, const QString &headline, const QString &detail)
{
    const QIcon icon
        = style()->standardIcon(ok ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxCritical);
    m_icon->setPixmap(icon.pixmap(32, 32));
    m_headline->setText(headline);
    m_detail->setText(detail);
    m_checkButton->setEnabled(ok && !m_checkRunning && m_images->rowCount() > 0);
}

QString DockerPanel::selectedImage() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows(ImageListModel::NameColumn);
    if (!rows.isEmpty()) {
        return rows.first().data(ImageListModel::ReferenceRole).toString();
    }
    return m_images->rowCount() > 0 ? m_images->index(0, 0).data(ImageListModel::ReferenceRole).toString()
                                    : QString();
}

} // namespace codalab::ui
