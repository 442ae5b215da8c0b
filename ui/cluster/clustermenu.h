// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMenu>

namespace codalab::ui {

class ClusterController;

/// The tray's (and the window's) Cluster submenu: for each cluster, its manager's state in one line and the
/// actions that fit it (Start or Stop, Pause or Resume), then "Show the Cluster page"; with no cluster,
/// "Add a cluster…". Filled each time it opens, so it is never stale.
class ClusterMenu : public QMenu
{
    Q_OBJECT
public:
    explicit ClusterMenu(ClusterController *controller, QWidget *parent = nullptr);

    /// Rebuilds the entries from the controller (done on every aboutToShow).
    void fill();

Q_SIGNALS:
    /// Show the Cluster page with `name` chosen (empty: add one).
    void pageRequested(const QString &name);
    void messageRequested(const QString &text);

private:
    ClusterController *m_controller;
};

} // namespace codalab::ui
