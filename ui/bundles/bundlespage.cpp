// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundles/bundlespage.h"

#include "bundles/bundleeditdialog.h"
#include "bundles/bundlesmodel.h"
#include "bundles/contentsbrowser.h"
#include "bundles/transferpanel.h"
#include "bundles/transferqueue.h"
#include "bundles/uploaddialog.h"
#include "common/buttonmenu.h"
#include "server/apijob.h"
#include "server/codalabclient.h"
#include "server/contentsdownload.h"
#include "server/uploadsource.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStorageInfo>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace codalab::ui {

BundlesPage::BundlesPage(server::CodaLabClient *client, TransferQueue *transfers, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_transfers(transfers)
    , m_model(new BundlesModel(client, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_worksheets(new QComboBox(this))
    , m_status(new QLabel(this))
    , m_table(new QTableView(this))
    , m_panel(new TransferPanel(transfers, this))
    , m_upload(new QPushButton(tr("&Upload…"), this))
    , m_edit(new QPushButton(tr("&Edit…"), this))
    , m_delete(new QPushButton(tr("&Delete…"), this))
    , m_browse(new QPushButton(tr("C&ontents…"), this))
    , m_save(new QPushButton(tr("&Save…"), this))
    , m_openFolder(new QPushButton(tr("Open &folder"), this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(BundlesModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(false); // the worksheet's own order, as `cl ls` shows it
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(BundlesModel::NameColumn, QHeaderView::Stretch);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_worksheets->setMinimumContentsLength(24);
    m_upload->setToolTip(
        tr("Upload files or folders as a dataset bundle (Ctrl+U, or drop them on the window)"));
    m_openFolder->setToolTip(tr("A bundle of this computer's own server is a folder on this disk"));

    auto *newWorksheet = new QPushButton(tr("&New worksheet…"), this);
    auto *refresh = new QPushButton(tr("&Refresh"), this);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("&Worksheet:"), this));
    qobject_cast<QLabel *>(top->itemAt(0)->widget())->setBuddy(m_worksheets);
    top->addWidget(m_worksheets, 1);
    top->addWidget(newWorksheet);
    top->addWidget(refresh);
    auto *actions = new QHBoxLayout;
    for (QPushButton *b : { m_upload, m_edit, m_delete, m_browse, m_save, m_openFolder }) {
        actions->addWidget(b);
    }
    actions->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(actions);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_panel);

    connect(newWorksheet, &QPushButton::clicked, this, &BundlesPage::createWorksheet);
    connect(refresh, &QPushButton::clicked, this, &BundlesPage::refresh);
    connect(m_upload, &QPushButton::clicked, this, [this] { openUploadDialog(); });
    connect(m_edit, &QPushButton::clicked, this, &BundlesPage::editSelected);
    connect(m_delete, &QPushButton::clicked, this, &BundlesPage::deleteSelected);
    connect(m_browse, &QPushButton::clicked, this, &BundlesPage::browseSelected);
    connect(m_save, &QPushButton::clicked, this, &BundlesPage::saveSelected);
    connect(m_openFolder, &QPushButton::clicked, this, &BundlesPage::openSelectedFolder);
    connect(m_table, &QTableView::doubleClicked, this, &BundlesPage::browseSelected);
    connect(m_table, &QWidget::customContextMenuRequested, this, &BundlesPage::showContextMenu);
    connect(
        m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BundlesPage::updateButtons);
    connect(m_worksheets, &QComboBox::currentIndexChanged, this, [this] {
        m_model->setWorksheet(currentWorksheet());
        updateButtons();
    });
    connect(m_model, &BundlesModel::loaded, this, [this] {
        // What a load said goes with the next load; what an action said stays until the next action.
        if (m_model->rowCount() == 0) {
            setStatus(tr("No bundles on this worksheet yet: upload files or folders, or drop them here."));
            m_loadStatus = true;
        } else if (m_loadStatus) {
            setStatus({});
        }
        updateButtons();
    });
    connect(m_model, &BundlesModel::failed, this, [this](const QString &message) {
        setStatus(tr("Cannot read the worksheet: %1").arg(message), true);
        m_loadStatus = true;
    });
    connect(
        m_transfers, &TransferQueue::uploadFinished, this, [this](int, const server::UploadResult &result) {
            if (result.ok) {
                m_model->refresh();
                Q_EMIT uploaded(result.bundleUuid);
            } else if (!result.cancelled) {
                setStatus(tr("The upload failed: %1").arg(result.error), true);
            }
        });
    connect(m_transfers, &TransferQueue::saveFinished, this,
        [this](int, bool ok, const QString &message, const QString &target) {
            setStatus(ok ? tr("Saved to %1").arg(target) : tr("The save failed: %1").arg(message), !ok);
        });
    updateButtons();
}

QString BundlesPage::currentWorksheet() const
{
    return m_worksheets->currentData().toString();
}

QString BundlesPage::currentWorksheetName() const
{
    return m_worksheets->currentText();
}

QString BundlesPage::selectedUuid() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(BundlesModel::UuidRole).toString();
}

bool BundlesPage::selectBundle(const QString &uuid)
{
    const int row = m_model->rowOfBundle(uuid);
    if (row < 0) {
        return false;
    }
    m_table->selectRow(m_proxy->mapFromSource(m_model->index(row, 0)).row());
    return true;
}

QString BundlesPage::statusText() const
{
    return m_status->text();
}

void BundlesPage::setStatus(const QString &text, bool error)
{
    m_loadStatus = false;
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
    m_status->setVisible(!text.isEmpty());
}

void BundlesPage::setLocalBundlesDir(const QString &dir)
{
    m_localBundlesDir = dir;
    updateButtons();
}

void BundlesPage::clear()
{
    m_worksheets->clear();
    m_model->setWorksheet({});
    setStatus({});
}

void BundlesPage::refresh()
{
    loadWorksheets(currentWorksheet());
    m_model->refresh();
}

void BundlesPage::loadWorksheets(const QString &select)
{
    if (m_worksheetsJob) {
        return;
    }
    // The home worksheet first (made on first use), then the others the user owns.
    m_worksheetsJob = m_client->worksheet(QStringLiteral("/"));
    connect(m_worksheetsJob, &server::ApiJob::finished, this, [this, select](const server::ApiResult &home) {
        if (!home.ok()) {
            setStatus(tr("Cannot read your worksheets: %1").arg(home.error.message), true);
            return;
        }
        const QString homeUuid
            = home.json.object()[QLatin1String("data")].toArray().first()[QLatin1String("id")].toString();
        m_worksheetsJob = m_client->worksheets({ QStringLiteral(".mine") });
        connect(m_worksheetsJob, &server::ApiJob::finished, this,
            [this, select, homeUuid](const server::ApiResult &r) {
                if (!r.ok()) {
                    setStatus(tr("Cannot read your worksheets: %1").arg(r.error.message), true);
                    return;
                }
                const QSignalBlocker quiet(m_worksheets);
                m_worksheets->clear();
                for (const QJsonValue &ws : r.json.object()[QLatin1String("data")].toArray()) {
                    const QJsonObject a = ws[QLatin1String("attributes")].toObject();
                    const QString title = a[QLatin1String("title")].toString();
                    const QString name = a[QLatin1String("name")].toString();
                    m_worksheets->addItem(title.isEmpty() ? name : QStringLiteral("%1 — %2").arg(name, title),
                        ws[QLatin1String("id")].toString());
                }
                const int wanted = m_worksheets->findData(select.isEmpty() ? homeUuid : select);
                m_worksheets->setCurrentIndex(
                    wanted >= 0 ? wanted : qMax(0, m_worksheets->findData(homeUuid)));
                m_model->setWorksheet(currentWorksheet());
                updateButtons();
            });
    });
}

void BundlesPage::createWorksheet()
{
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New worksheet"));
    dialog->setLabelText(tr("Name (a letter or _ first, then letters, digits, _ . -):"));
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &name) {
        server::ApiJob *job = m_client->createWorksheet(name.trimmed());
        connect(job, &server::ApiJob::finished, this, [this](const server::ApiResult &r) {
            if (!r.ok()) {
                setStatus(tr("Cannot make the worksheet: %1").arg(r.error.message), true);
                return;
            }
            loadWorksheets(
                r.json.object()[QLatin1String("data")].toArray().first()[QLatin1String("id")].toString());
        });
    });
    dialog->open();
}

void BundlesPage::openUploadDialog(const QStringList &paths)
{
    if (currentWorksheet().isEmpty()) {
        setStatus(tr("Not connected to a server yet: the upload needs a worksheet."), true);
        return;
    }
    auto *dialog = new UploadDialog(currentWorksheet(), currentWorksheetName(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->addPaths(paths);
    connect(dialog, &UploadDialog::uploadRequested, this, &BundlesPage::startUpload);
    dialog->open();
}

int BundlesPage::startUpload(const server::UploadRequest &request)
{
    auto *job = new server::BundleUpload(m_client->connection(), request);
    const QString title = request.paths.size() == 1 ? QFileInfo(request.paths.first()).fileName()
                                                    : tr("%n item(s)", nullptr, int(request.paths.size()));
    return m_transfers->addUpload(job, title);
}

void BundlesPage::editSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        return;
    }
    const QModelIndex row = rows.first();
    auto *dialog = new BundleEditDialog(row.data(BundlesModel::UuidRole).toString(),
        row.data(BundlesModel::NameRole).toString(), row.data(BundlesModel::DescriptionRole).toString(),
        row.data(BundlesModel::TagsRole).toStringList(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &BundleEditDialog::saveRequested, this,
        [this, dialog](const QString &uuid, const QJsonObject &m) {
            server::ApiJob *job = m_client->editBundle(uuid, m);
            connect(job, &server::ApiJob::finished, dialog, [this, dialog](const server::ApiResult &r) {
                if (!r.ok()) {
                    dialog->showError(r.error.message); // the server's words (a name taken by its pattern...)
                    return;
                }
                dialog->accept();
                m_model->refresh();
            });
        });
    dialog->open();
}

void BundlesPage::deleteSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        return;
    }
    const QString uuid = rows.first().data(BundlesModel::UuidRole).toString();
    const QString name = rows.first().data(BundlesModel::NameRole).toString();
    auto *confirm = new QMessageBox(QMessageBox::Question, tr("Delete bundle"),
        tr("Delete %1 (%2) and its contents? This cannot be undone.").arg(name, uuid), QMessageBox::Cancel,
        this);
    confirm->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    confirm->setAttribute(Qt::WA_DeleteOnClose);
    confirm->setWindowModality(Qt::WindowModal);
    connect(confirm, &QMessageBox::buttonClicked, this, [this, confirm, uuid, name](QAbstractButton *button) {
        if (confirm->buttonRole(button) != QMessageBox::DestructiveRole) {
            return;
        }
        server::ApiJob *job = m_client->deleteBundles({ uuid });
        connect(job, &server::ApiJob::finished, this, [this, name](const server::ApiResult &r) {
            // The server says why it refuses (other bundles depend on it, it is running...).
            setStatus(
                r.ok() ? tr("Deleted %1.").arg(name) : tr("Not deleted: %1").arg(r.error.message), !r.ok());
            m_model->refresh();
        });
    });
    confirm->open();
}

void BundlesPage::browseSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        return;
    }
    auto *browser = new ContentsBrowser(m_client, rows.first().data(BundlesModel::UuidRole).toString(),
        rows.first().data(BundlesModel::NameRole).toString(), this);
    connect(browser, &ContentsBrowser::saveRequested, this, &BundlesPage::askAndSave);
    browser->show();
}

void BundlesPage::saveSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (!rows.isEmpty()) {
        askAndSave(rows.first().data(BundlesModel::UuidRole).toString(), QString(),
            rows.first().data(BundlesModel::NameRole).toString());
    }
}

void BundlesPage::askAndSave(const QString &uuid, const QString &path, const QString &suggestedName)
{
    auto *dialog = new QFileDialog(this, tr("Save %1 as").arg(suggestedName));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setDirectory(QDir::homePath());
    dialog->selectFile(suggestedName);
    connect(dialog, &QFileDialog::fileSelected, this,
        [this, uuid, path](const QString &target) { startSave(uuid, path, target); });
    dialog->open();
}

namespace {
/// What a save may write: the free space of the disk it goes to (a full disk then stops it with words).
util::ArchiveLimits saveLimits(const QString &target)
{
    util::ArchiveLimits limits;
    QDir().mkpath(QFileInfo(target).absolutePath());
    limits.maxBytes = qMax<qint64>(0, QStorageInfo(QFileInfo(target).absolutePath()).bytesAvailable());
    limits.maxRatio = 2000;
    return limits;
}
} // namespace

int BundlesPage::startSave(const QString &uuid, const QString &path, const QString &target)
{
    auto *job = new server::ContentsDownload(
        m_client->connection(), uuid, path, target, saveLimits(target), nullptr);
    const QString title = path.isEmpty() ? QFileInfo(target).fileName() : path;
    return m_transfers->addSave(job, title, uuid, target);
}

void BundlesPage::startPendingSave(int id, const QString &uuid, const QString &target)
{
    m_transfers->startPendingSave(id,
        new server::ContentsDownload(m_client->connection(), uuid, {}, target, saveLimits(target), nullptr),
        target);
}

void BundlesPage::openSelectedFolder()
{
    const QString uuid = selectedUuid();
    if (!m_localBundlesDir.isEmpty() && !uuid.isEmpty()) {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QDir(m_localBundlesDir).filePath(uuid)));
    }
}

void BundlesPage::updateButtons()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const bool selected = !rows.isEmpty();
    const QString uuid = selected ? rows.first().data(BundlesModel::UuidRole).toString() : QString();
    m_upload->setEnabled(!currentWorksheet().isEmpty());
    for (QPushButton *b : { m_edit, m_delete, m_browse, m_save }) {
        b->setEnabled(selected);
    }
    m_openFolder->setVisible(!m_localBundlesDir.isEmpty());
    m_openFolder->setEnabled(selected && QFileInfo::exists(QDir(m_localBundlesDir).filePath(uuid)));
}

void BundlesPage::showContextMenu(const QPoint &at)
{
    ButtonMenu::popup(m_table, at, { m_browse, m_save, m_openFolder, m_edit, m_delete, m_upload });
}

} // namespace codalab::ui
