// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace codalab::ui {

class ClusterController;
class ClusterJobsModel;
class ClusterMenu;
struct ClusterProfile;

/// The Cluster page: the user's Slurm clusters (ClusterController), one at a time. For the chosen one: how
/// Slurm is reached and the tag it serves, its worker manager's state in one line with Start/Stop and
/// Pause/Resume, the partition's limits as sinfo reports them, runs Slurm refused and why, the manager's
/// jobs (run, state, node, reason, age) and the selected job's worker log (its end, refreshed while shown).
/// With no cluster yet it says what a cluster profile is and offers to add one.
class ClusterPage : public QWidget
{
    Q_OBJECT
public:
    explicit ClusterPage(ClusterController *controller, QWidget *parent = nullptr);
    ~ClusterPage() override;

    /// The cluster shown; empty when there is none.
    QString currentCluster() const;
    void showCluster(const QString &name);
    ClusterJobsModel *jobsModel() const { return m_jobs; }
    QTableView *jobsView() const { return m_view; }
    QString headlineText() const;
    QString limitsText() const;
    QString refusedText() const;
    QString logText() const;
    bool showsEmptyState() const;

    /// A Cluster menu over the same clusters (for the tray: its menuAction() is named "clusterMenuAction"):
    /// its "Show the Cluster page" and "Add a cluster…" choose here and emit showRequested(); what it could
    /// not do comes out as messageRequested().
    ClusterMenu *createMenu(QWidget *parent);
    /// The add/edit dialog (tests answer it); opened by Add…/Edit….
    void addCluster();
    void editCluster();

Q_SIGNALS:
    /// Something the user should read in the status bar (a manager that could not start).
    void messageRequested(const QString &text);
    /// A menu of createMenu() asked for this page: the window should show it.
    void showRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void fillCombo();
    void updateStatus();
    void updateLimits();
    void readLog();
    void startOrStop();
    void pauseOrResume();
    void removeCluster();
    void openDialog(const ClusterProfile &profile, const QString &previousName);

    ClusterController *m_controller;
    ClusterJobsModel *m_jobs;
    QStackedWidget *m_stack;
    QComboBox *m_clusters;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QLabel *m_reach;
    QLabel *m_headline;
    QPushButton *m_startStop;
    QPushButton *m_pauseResume;
    QLabel *m_limits;
    QLabel *m_refused;
    QTableView *m_view;
    QLabel *m_logTitle;
    QPlainTextEdit *m_log;
    QTimer m_refresh; ///< the jobs' ages and the log, while the page is shown
    QString m_logPath;
    bool m_logReading = false;
};

} // namespace codalab::ui
