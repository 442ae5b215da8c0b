// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/mainwindow.h"

#include "common/desktopsettings.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTabWidget>

// The resources live in the static codalab_ui_common library, whose initializer the linker would drop.
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace codalab::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_tabs(new QTabWidget(this))
    , m_account(new QLabel(this))
    , m_worker(new QLabel(this))
{
    initResources();
    setWindowTitle(tr("CodaLab Desktop"));
    setWindowIcon(QIcon::fromTheme(QStringLiteral("org.codalab.Desktop"),
        QIcon(QStringLiteral(":/codalab/icons/org.codalab.Desktop.svg"))));
    m_tabs->setDocumentMode(true);
    setCentralWidget(m_tabs);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *submit = file->addAction(tr("&Submit run…"), this, &MainWindow::submitRequested);
    submit->setShortcut(QKeySequence::New);
    QAction *upload = file->addAction(tr("&Upload…"), this, &MainWindow::uploadRequested);
    upload->setShortcut(QKeySequence(QStringLiteral("Ctrl+U")));
    file->addSeparator();
    file->addAction(tr("Servers and &accounts…"), this, &MainWindow::profilesRequested);
    QAction *settings = file->addAction(tr("Se&ttings…"), this, &MainWindow::settingsRequested);
    settings->setShortcut(QKeySequence(QStringLiteral("Ctrl+,")));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &MainWindow::quitRequested);
    quit->setShortcut(QKeySequence::Quit);

    auto *workerMenu = new QMenu(tr("&Worker"), this);
    workerMenu->setObjectName(QStringLiteral("workerMenu"));
    workerMenu->setToolTipsVisible(true);
    connect(workerMenu, &QMenu::aboutToShow, this, &MainWindow::fillWorkerMenu);
    m_workerMenuAction = menuBar()->addMenu(workerMenu);
    m_workerMenuAction->setVisible(false);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("The worker's &log"), this, &MainWindow::workerLogRequested);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About CodaLab Desktop"), this, [this] {
        auto *about = new QMessageBox(QMessageBox::Information, tr("About CodaLab Desktop"),
            tr("<b>CodaLab Desktop %1</b><p>Lend this computer to CodaLab as a worker, submit runs and watch "
               "them.</p><p>The worker (codalab-worker) keeps running when this window quits.</p>")
                .arg(QStringLiteral(CODALAB_VERSION)),
            QMessageBox::Ok, this);
        about->setAttribute(Qt::WA_DeleteOnClose);
        about->open(); // never exec(): no nested event loop
    });

    m_account->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_worker, 1);
    statusBar()->addPermanentWidget(m_account);
    setAcceptDrops(true);
    resize(1100, 700);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty()
        && std::all_of(urls.cbegin(), urls.cend(), [](const QUrl &u) { return u.isLocalFile(); })) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls()) {
        paths << url.toLocalFile();
    }
    event->acceptProposedAction();
    Q_EMIT filesDropped(paths);
}

void MainWindow::addPage(QWidget *page, const QString &title)
{
    const int index = m_tabs->addTab(page, title);
    if (index < 9) {
        auto *action = new QAction(this);
        action->setShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(index + 1)));
        connect(action, &QAction::triggered, this, [this, page] { showPage(page); });
        addAction(action);
    }
}

void MainWindow::bringToFront()
{
    show();
    if (isMinimized()) {
        showNormal();
    }
    raise();
    activateWindow();
}

void MainWindow::toggleShown()
{
    if (isVisible() && !isMinimized()) {
        hide();
    } else {
        bringToFront();
    }
}

void MainWindow::showPage(QWidget *page)
{
    m_tabs->setCurrentWidget(page);
}

QWidget *MainWindow::currentPage() const
{
    return m_tabs->currentWidget();
}

void MainWindow::setWorkerMenu(QMenu *menu)
{
    // The tray's menu also opens the window, submits and quits: the window has those already (File), so
    // its Worker menu shows only what acts on the worker, the very same actions, gathered on each opening
    // (the GPU entries come and go with the worker's status).
    m_workerSource = menu;
    m_workerMenuAction->setVisible(true);
}

void MainWindow::fillWorkerMenu()
{
    QMenu *own = m_workerMenuAction->menu();
    own->clear(); // the actions belong to the tray's menu: only taken off here
    if (!m_workerSource) {
        return;
    }
    static const QStringList notTheWorkers { QStringLiteral("submitAction"), QStringLiteral("openAction"),
        QStringLiteral("quitAction"),
        QStringLiteral("clusterMenuAction") }; // the window has its Cluster page
    for (QAction *action : m_workerSource->actions()) {
        if (!notTheWorkers.contains(action->objectName())) {
            own->addAction(action);
        }
    }
    // Separators the left-out actions leave at the end.
    while (!own->actions().isEmpty() && own->actions().constLast()->isSeparator()) {
        own->removeAction(own->actions().constLast());
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_hideOnClose) {
        hide();
        event->ignore();
        Q_EMIT hiddenToTray();
        if (m_noticeSettings && m_noticeSettings->hiddenToTrayNotice() && !m_hiddenNotice
            && !m_hiddenNoticeShown) {
            // Once per session until "Don't show this again": the window is hidden, so no parent.
            m_hiddenNotice = sayHiddenToTray(nullptr);
            connect(m_hiddenNotice, &QMessageBox::finished, this, [this, box = m_hiddenNotice.data()] {
                m_noticeSettings->setHiddenToTrayNotice(!box->checkBox()->isChecked());
                m_hiddenNoticeShown = true;
            });
        }
        return;
    }
    event->ignore();
    Q_EMIT quitRequested();
}

QMessageBox *MainWindow::sayHiddenToTray(QWidget *parent)
{
    auto *box = new QMessageBox(QMessageBox::Information, tr("CodaLab Desktop is still running"),
        tr("The window is closed, but CodaLab Desktop and its worker go on in the system tray. Click the "
           "tray icon to open the window again; Quit in its menu ends the desktop."),
        QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("hiddenToTrayNotice"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setCheckBox(new QCheckBox(tr("&Don't show this again")));
    box->open();
    return box;
}

void MainWindow::setAccountText(const QString &text, bool ok)
{
    m_account->setText(text);
    m_account->setStyleSheet(ok ? QString() : QStringLiteral("color: #b00020;"));
}

void MainWindow::setWorkerText(const QString &text, bool ok)
{
    m_worker->setText(text);
    m_worker->setStyleSheet(ok ? QString() : QStringLiteral("color: #b00020;"));
}

} // namespace codalab::ui
