// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/bundleupload.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;

namespace codalab::ui {

/// Upload…: files and folders (added with the buttons or dropped on it) become one dataset bundle on the
/// worksheet, with a name (upstream's default from the paths, until typed), a description and tags; archives
/// are unpacked by the server unless "Keep archives packed".
///
/// Usage: construct with the worksheet's uuid and name; addPaths() for dropped ones; open() it.
/// uploadRequested(request) when the user presses Upload; the dialog then closes.
class UploadDialog : public QDialog
{
    Q_OBJECT
public:
    UploadDialog(const QString &worksheetUuid, const QString &worksheetName, QWidget *parent = nullptr);

    void addPaths(const QStringList &paths);
    QStringList paths() const;
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *tagsEdit() const { return m_tags; }
    /// What pressing Upload would send.
    server::UploadRequest request() const;
    /// Why Upload is not possible now (no path, a name upstream refuses), or empty.
    QString problem() const;

Q_SIGNALS:
    void uploadRequested(const codalab::server::UploadRequest &request);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void update();

    QString m_worksheet;
    QListWidget *m_list;
    QLineEdit *m_name;
    QPlainTextEdit *m_description;
    QLineEdit *m_tags;
    QCheckBox *m_pack;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace codalab::ui
