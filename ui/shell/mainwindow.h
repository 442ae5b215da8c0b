// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>
#include <QMenu>
#include <QPointer>

class QLabel;
class QMessageBox;
class QTabWidget;

namespace codalab::ui {

class DesktopSettings;

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
    /// Shown, not minimised, raised and active: what "Open CodaLab Desktop" and a second launch ask for.
    void bringToFront();
    /// The tray icon's left click: hidden when shown, in front otherwise.
    void toggleShown();
    QWidget *currentPage() const;
    QTabWidget *tabs() const { return m_tabs; }

    /// The tray's menu: the window's Worker menu shows its actions that act on the worker (not Open,
    /// Submit or Quit, which the window has elsewhere).
    void setWorkerMenu(QMenu *menu);
    /// Fills the Worker menu now (it is filled each time it opens).
    void fillWorkerMenu();
    QMenu *workerMenu() const { return m_workerMenuAction->menu(); }
    /// Tells once that closing the window left the desktop running in the tray; the box has a "Don't show
    /// this again" check box, read by whoever shows it.
    static QMessageBox *sayHiddenToTray(QWidget *parent);
    void setAccountText(const QString &text, bool ok);
    void setWorkerText(const QString &text, bool ok);

    void setHideOnClose(bool hide) { m_hideOnClose = hide; }
    /// Where "CodaLab Desktop is still running" (said on the first close to the tray each session) keeps
    /// its "Don't show this again"; without settings it is not said.
    void setNoticeSettings(DesktopSettings *settings) { m_noticeSettings = settings; }
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
    /// The close button hid the window (hideOnClose()).
    void hiddenToTray();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QTabWidget *m_tabs;
    QPointer<QMenu> m_workerSource;
    DesktopSettings *m_noticeSettings = nullptr;
    QPointer<QMessageBox> m_hiddenNotice; ///< "still running in the tray", while it is open
    bool m_hiddenNoticeShown = false; ///< said once this session
    QAction *m_workerMenuAction = nullptr;
    QLabel *m_account;
    QLabel *m_worker;
    bool m_hideOnClose = false;
};

} // namespace codalab::ui
