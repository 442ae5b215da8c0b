// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

namespace codalab::docker {
class DockerClient;
}

namespace codalab::ui {

class DockerPanel;

/// The main window. For now it holds the Docker pane; the worker dashboard, logs, machine, caches and
/// "my runs" panes join it as tabs (issue #6).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(docker::DockerClient *docker, QWidget *parent = nullptr);

    DockerPanel *dockerPanel() const { return m_dockerPanel; }

private:
    DockerPanel *m_dockerPanel;
};

} // namespace codalab::ui
