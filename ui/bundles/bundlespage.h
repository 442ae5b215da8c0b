// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/bundleupload.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace codalab::server {
class ApiJob;
class CodaLabClient;
} // namespace codalab::server

namespace codalab::ui {

class BundlesModel;
class TransferPanel;
class TransferQueue;

/// "Bundles": the bundles of a worksheet (datasets, makes and runs: type, name, state, size, owner, created)
/// and what can be done with them: Upload… (a button, Ctrl+U, files dropped on the window), Edit… (name,
/// description, tags), Delete… (after a confirmation; the server's reason shown when it refuses), Contents…
/// (browse and read the files), Save… (a bundle, a folder or a file, unpacked safely, with progress and
/// cancel), Open folder (a bundle of this computer's own server is on this disk already). The worksheet is
/// chosen among the user's own, or a new one made. Uploads and saves run in the TransferQueue, listed at
/// the bottom with their progress.
///
/// Usage: construct with the logged-in client and the queue; refresh() after login; setLocalBundlesDir()
/// with the local server's bundles directory when the profile is the local one (empty otherwise).
class BundlesPage : public QWidget
{
    Q_OBJECT
public:
    BundlesPage(server::CodaLabClient *client, TransferQueue *transfers, QWidget *parent = nullptr);

    BundlesModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    TransferPanel *transferPanel() const { return m_panel; }
    QString currentWorksheet() const;
    QString currentWorksheetName() const;
    /// The selected bundle's uuid, or empty.
    QString selectedUuid() const;
    bool selectBundle(const QString &uuid);
    /// The line above the table: loading, an error, what happened last.
    QString statusText() const;

    void setLocalBundlesDir(const QString &dir);
    /// Reloads the worksheets and the current one's bundles (the home worksheet the first time).
    void refresh();
    /// Forgets the account's worksheets (another profile).
    void clear();

    /// Upload…, prefilled with `paths` (dropped on the window).
    void openUploadDialog(const QStringList &paths = {});
    /// Starts an upload at once (the dialog's button, or a test).
    int startUpload(const server::UploadRequest &request);
    void editSelected();
    void deleteSelected();
    void browseSelected();
    void saveSelected();
    /// Saves `path` of bundle `uuid` as `target` (a file or a folder to make).
    int startSave(const QString &uuid, const QString &path, const QString &target);
    /// Starts the transfers list's pending save `id` (a run's outputs): all of bundle `uuid` as `target`.
    void startPendingSave(int id, const QString &uuid, const QString &target);
    /// Asks where to save, then saves.
    void askAndSave(const QString &uuid, const QString &path, const QString &suggestedName);
    void openSelectedFolder();

Q_SIGNALS:
    /// An upload of this page made a bundle (e.g. to show it, or to use it in a run).
    void uploaded(const QString &bundleUuid);

private:
    void loadWorksheets(const QString &select);
    void createWorksheet();
    void setStatus(const QString &text, bool error = false);
    void updateButtons();
    void showContextMenu(const QPoint &at);

    server::CodaLabClient *m_client;
    TransferQueue *m_transfers;
    BundlesModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QComboBox *m_worksheets;
    QLabel *m_status;
    QTableView *m_table;
    TransferPanel *m_panel;
    QPushButton *m_upload;
    QPushButton *m_edit;
    QPushButton *m_delete;
    QPushButton *m_browse;
    QPushButton *m_save;
    QPushButton *m_openFolder;
    QString m_localBundlesDir;
    bool m_loadStatus = false; ///< the status line says what the last load found
    QPointer<server::ApiJob> m_worksheetsJob;
};

} // namespace codalab::ui
