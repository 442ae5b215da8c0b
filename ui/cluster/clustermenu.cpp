// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/clustermenu.h"

#include "cluster/clustercontroller.h"

namespace codalab::ui {

ClusterMenu::ClusterMenu(ClusterController *controller, QWidget *parent)
    : QMenu(tr("C&luster"), parent)
    , m_controller(controller)
{
    setObjectName(QStringLiteral("clusterMenu"));
    connect(this, &QMenu::aboutToShow, this, &ClusterMenu::fill);
    fill();
}

void ClusterMenu::fill()
{
    clear();
    const QList<ClusterProfile> profiles = m_controller->profiles();
    if (profiles.isEmpty()) {
        addAction(tr("Add a cluster…"), this, [this] { Q_EMIT pageRequested({}); });
        return;
    }
    for (const ClusterProfile &p : profiles) {
        const QString name = p.name;
        QAction *line = addAction(tr("%1: %2").arg(name, m_controller->headline(name)));
        line->setEnabled(false);
        if (m_controller->isRunning(name)) {
            if (m_controller->canResume(name)) {
                addAction(tr("Resume submitting to %1").arg(name), this,
                    [this, name] { m_controller->resume(name); });
            } else if (m_controller->canPause(name)) {
                addAction(tr("Pause submitting to %1").arg(name), this,
                    [this, name] { m_controller->pause(name); });
            }
            addAction(
                tr("Stop the manager of %1").arg(name), this, [this, name] { m_controller->stop(name); });
        } else {
            addAction(tr("Start the manager of %1").arg(name), this, [this, name] {
                QString error;
                if (!m_controller->start(name, &error)) {
                    Q_EMIT messageRequested(tr("The manager of %1 could not start: %2").arg(name, error));
                }
            });
        }
        addSeparator();
    }
    addAction(tr("Show the Cluster page"), this, [this] {
        Q_EMIT pageRequested(
            m_controller->profiles().isEmpty() ? QString() : m_controller->profiles().first().name);
    });
}

} // namespace codalab::ui
