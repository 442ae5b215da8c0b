// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace codalab::ui {

/// The main window: one tab per page (Dashboard, Logs, My runs, Bundles, Machine, Caches, added by
/// DesktopApp), the menus (File, Worker — the tray's availability menu — and Help) and a status bar with the
/// account and the worker's state. Files and folders dropped on it are offered for upload (filesDropped()).
///
/// Usage: addPage() each page (Ctrl+1… switch to them), setWorkerMenu() with the tray's menu; connect the
/// request signals. With hideOnClose() the close button hides the window to the tray; otherwise closing
/// asks to quit (quitRequested()).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    void addPage(QWidget *page, const QString &title);
    void showPage(QWidget *page);
    QWidget *currentPage() const;
    QTabWidget *tabs() const { return m_tabs; }

    void setWorkerMenu(QMenu *menu);
    void setAccountText(const QString &text, bool ok);
    void setWorkerText(const QString &text, bool ok);

    void setHideOnClose(bool hide) { m_hideOnClose = hide; }
    bool hideOnClose() const { return m_hideOnClose; }

Q_SIGNALS:
    void submitRequested();
    void uploadRequested();
    /// Files or folders dropped on the window (to upload).
    void filesDropped(const QStringList &paths);
    void profilesRequested();
    void settingsRequested();
    void workerLogRequested();
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QTabWidget *m_tabs;
    QMenu *m_workerMenu = nullptr;
    QAction *m_workerMenuAction = nullptr;
    QLabel *m_account;
    QLabel *m_worker;
    bool m_hideOnClose = false;
};

} // namespace codalab::ui
