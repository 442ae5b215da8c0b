// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

namespace codalab::server {
class CodaLabClient;
}

namespace codalab::ui {

class LogView;

/// A text file of a bundle in the log viewer (a bounded window of it, searchable, from the server in
/// ranges, so a big file opens at once).
class FileViewer : public QDialog
{
    Q_OBJECT
public:
    FileViewer(server::CodaLabClient *client, const QString &uuid, const QString &path, const QString &title,
        QWidget *parent = nullptr);
    LogView *view() const { return m_view; }

private:
    LogView *m_view;
};

} // namespace codalab::ui
