// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/mainwindow.h"

#include "machine/dockerpanel.h"

#include <QStatusBar>
#include <QTabWidget>

// The resources live in the static codalab_ui library, whose initializer the linker would drop.
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace codalab::ui {

MainWindow::MainWindow(docker::DockerClient *docker, QWidget *parent)
    : QMainWindow(parent)
    , m_dockerPanel(new DockerPanel(docker, this))
{
    initResources();
    setWindowTitle(tr("CodaLab Desktop"));
    setWindowIcon(QIcon(QStringLiteral(":/codalab/icons/codalab-desktop.svg")));
    auto *tabs = new QTabWidget(this);
    tabs->setDocumentMode(true);
    tabs->addTab(m_dockerPanel, tr("Docker"));
    setCentralWidget(tabs);
    statusBar()->showMessage(tr("CodaLab Desktop %1").arg(QStringLiteral(CODALAB_VERSION)));
    resize(820, 560);
    m_dockerPanel->refresh();
}

} // namespace codalab::ui
