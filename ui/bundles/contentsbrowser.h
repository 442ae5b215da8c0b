// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QLabel;
class QPushButton;
class QTreeView;

namespace codalab::server {
class CodaLabClient;
}

namespace codalab::ui {

class ContentsModel;

/// The contents of one bundle: its files and folders as a tree with sizes; Open shows a text file in the log
/// viewer (also a double click), Save… any file or folder (also the right-click menu).
///
/// Usage: construct, open(). saveRequested(uuid, path, name) asks the owner to save a path of the bundle.
class ContentsBrowser : public QDialog
{
    Q_OBJECT
public:
    ContentsBrowser(server::CodaLabClient *client, const QString &uuid, const QString &bundleName,
        QWidget *parent = nullptr);

    QTreeView *tree() const { return m_tree; }
    ContentsModel *model() const { return m_model; }
    /// The selected path ("" for the bundle when nothing is selected).
    QString selectedPath() const;
    /// Opens the selected file in the viewer; false for a folder.
    bool openSelected();
    void saveSelected();

Q_SIGNALS:
    void saveRequested(const QString &uuid, const QString &path, const QString &name);

private:
    void update();

    server::CodaLabClient *m_client;
    QString m_uuid;
    QString m_bundleName;
    ContentsModel *m_model;
    QTreeView *m_tree;
    QLabel *m_status;
    QPushButton *m_open;
    QPushButton *m_save;
};

} // namespace codalab::ui
