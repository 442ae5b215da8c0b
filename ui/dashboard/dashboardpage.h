// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QMessageBox;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace codalab::ui {

class ContainerModel;
class SlotModel;
class RunResourceCharts;
class UserNames;
class WorkerLink;

/// The worker dashboard: a header with the worker's availability in words and colour ("Available",
/// "Snoozed until 14:05", "Draining (2 runs left)"), its server connection with the age of the last
/// check-in (updated every second while shown), its id and tag; the slots table and the running containers
/// table. While the worker is not connected the page says so, with WorkerLink::lastError(), instead of
/// showing empty tables.
///
/// Usage: construct with the desktop's WorkerLink; the page follows it by itself. Selecting a container
/// emits runSelected() (for a log pane). "Kill run…" (button, context menu, Delete key) asks for
/// confirmation in a window-modal QMessageBox and then calls WorkerLink::killRun(); killAnswered() reports
/// the worker's answer.
class DashboardPage : public QWidget
{
    Q_OBJECT
public:
    /// The headline's words (WorkerHeadline), "Not connected" without a status.
    QString availabilityText() const;
    explicit DashboardPage(WorkerLink *link, QWidget *parent = nullptr);
    ~DashboardPage() override;

    SlotModel *slotModel() const { return m_slots; }
    ContainerModel *containerModel() const { return m_containers; }
    QTableView *containerView() const { return m_containerView; }
    RunResourceCharts *resourceCharts() const { return m_charts; }
    /// Where the Owner column finds user names (not owned).
    void setUserNames(UserNames *names);

    /// The uuid of the selected container's run; empty when none.
    QString selectedRun() const;
    /// Asks to kill the selected run (nothing when none is selected).
    void killSelectedRun();
    /// As Show output does: outputRequested() for the selected run.
    void requestOutput();

    QString connectionText() const;
    /// The desktop has just launched the worker: the empty state says it is starting (until it answers).
    void setStarting(bool starting);
    /// Whether the page shows "not connected" instead of the tables.
    bool showsEmptyState() const;

Q_SIGNALS:
    void runSelected(const QString &uuid, const QString &runDir);
    /// The empty state's "Start the worker".
    void startWorkerRequested();
    /// Show output, a double-click or Enter on a run: its output wanted in view (the Logs page).
    void outputRequested(const QString &uuid, const QString &runDir);
    void killAnswered(const QString &uuid, bool ok, const QString &error);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void onStatus(const QJsonObject &status);
    void updateConnection();
    void updateEmptyState();
    void updateAvailability();
    void onSelectionChanged();
    /// The run started last on this worker; the charts' run when the worker has none.
    QString newestRun() const;
    void showContextMenu(const QPoint &pos);
    void confirmKill(const QString &uuid);

    WorkerLink *m_link;
    SlotModel *m_slots;
    ContainerModel *m_containers;
    QJsonObject m_status;
    QLabel *m_availability;
    QLabel *m_connection;
    QLabel *m_identity;
    QLabel *m_message;
    QStackedWidget *m_stack;
    QLabel *m_emptyTitle;
    QLabel *m_emptyDetail;
    QTableView *m_slotView;
    QTableView *m_containerView;
    QPushButton *m_killButton;
    QPushButton *m_outputButton;
    RunResourceCharts *m_charts;
    QPushButton *m_startButton;
    bool m_starting = false;
    QPointer<QMessageBox> m_confirm;
    QString m_selected; ///< the run runSelected() last named
    QTimer m_clock;
};

} // namespace codalab::ui
