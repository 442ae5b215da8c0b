// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apijob.h"
#include "server/runrequest.h"

#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

class QVBoxLayout;

namespace codalab::server {
class CodaLabClient;
} // namespace codalab::server

namespace codalab::ui {

class MyRunsFilterModel;
class MyRunsModel;
class RunDetailsPanel;
class RunResourceCharts;
class UserNames;
class WorkerLink;

/// "My runs": the user's run bundles on the CodaLab server, filterable by state and text and sortable by
/// column, with the selected run's details (for a staged run, why it waits) and its actions: Logs (also a
/// double click or Enter), Kill (active runs, after a confirmation), Rerun… and Refresh.
///
/// Usage: construct with a logged-in CodaLabClient and put it in the main window. While shown it
/// refreshes every refreshInterval() ms, and the ages and running times every 10 s. Connect
/// logsRequested(uuid) to the log viewer and rerunRequested(request) to the submission dialog (prefilled
/// with the request). Kills go straight to the server; killFinished(uuid, ok) reports each one, and a
/// failure is also shown above the table. Connect WorkerLink::statusChanged to setWorkerStatus(), so a run
/// that waits for this computer's paused, snoozed or draining worker says so, and resumeWorkerRequested()
/// to WorkerLink::resume() (the Resume button of that notice). Call clear() when the account changes
/// (logout, profile switch).
class MyRunsPage : public QWidget
{
    Q_OBJECT
public:
    explicit MyRunsPage(server::CodaLabClient *client, QWidget *parent = nullptr);

    MyRunsModel *model() const { return m_model; }
    MyRunsFilterModel *filterModel() const { return m_filter; }
    QTableView *table() const { return m_table; }
    RunDetailsPanel *details() const { return m_details; }
    QComboBox *stateFilter() const { return m_stateCombo; }
    QLineEdit *textFilter() const { return m_textFilter; }

    /// How often the list is refreshed while the page is visible (default 3000 ms; 0: only on request).
    void setRefreshInterval(int ms);
    int refreshInterval() const { return m_refreshMs; }

    /// The selected run's full uuid, empty when none is.
    QString selectedUuid() const;
    /// Selects the run if the filtered table shows it; false otherwise.
    bool selectRun(const QString &uuid);
    /// What stands in for the table (loading, no runs, nothing matches, the server error); empty while
    /// the table shows.
    QString placeholderText() const;
    /// The error line above the table (a failed refresh that left older rows, or a failed kill).
    QString bannerText() const;
    /// How often the ages and running times are rewritten: 10000 ms while the page shows, else 0.
    int timesRefreshInterval() const { return m_timesTimer.isActive() ? m_timesTimer.interval() : 0; }
    /// Seconds since the epoch, for the ages and run times of the list and the details (tests fix it).
    void setClock(const std::function<qint64()> &nowSecs);

public Q_SLOTS:
    void refresh();
    /// Forgets the runs of the account that was (logout, another profile): no rows, no details, no error;
    /// the page says it is loading until the next refresh answers (MyRunsModel::clear()).
    void clear();
    void requestLogs();
    /// Asks for confirmation (a window-modal box, nothing blocks), then kills the selected run.
    void killSelected();
    void rerunSelected();
    /// The clock moved on: the list's ages and run times (MyRunsModel::refreshTimes()) and the details'.
    void refreshTimes();
    /// This computer's worker's status (WorkerLink::status(), {} when it does not run): a staged run it
    /// holds (paused, snoozed, draining) says so in the details, with a Resume button.
    void setWorkerStatus(const QJsonObject &status);
    /// This computer's worker: its status (setWorkerStatus()), Resume, and the selected run's resource charts
    /// when it ran the run.
    void setWorkerLink(WorkerLink *link);
    RunResourceCharts *resourceCharts() const { return m_charts; }
    /// The names of the owners it shows (cleared with clear()); other pages may share them.
    UserNames *userNames() const { return m_names; }

Q_SIGNALS:
    void logsRequested(const QString &uuid);
    void rerunRequested(const codalab::server::RunRequest &request);
    void killFinished(const QString &uuid, bool ok);
    /// The user asked to resume this computer's worker (the Resume button of a run it holds).
    void resumeWorkerRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void sendKill(const QString &uuid, const QString &name);
    void updateSelection();
    void updateView();
    QJsonObject selectedBundle() const;

    server::CodaLabClient *m_client;
    MyRunsModel *m_model;
    MyRunsFilterModel *m_filter;
    UserNames *m_names;
    QComboBox *m_stateCombo;
    QLineEdit *m_textFilter;
    QPushButton *m_refreshButton;
    QLabel *m_banner;
    QStackedWidget *m_stack;
    QTableView *m_table;
    QLabel *m_placeholder;
    RunDetailsPanel *m_details;
    QPushButton *m_logsButton;
    QPushButton *m_killButton;
    QPushButton *m_rerunButton;
    QPointer<server::ApiJob> m_killJob;
    QWidget *m_chartsBox = nullptr;
    QVBoxLayout *m_chartsLayout = nullptr;
    RunResourceCharts *m_charts = nullptr;
    QTimer m_timesTimer;
    QString m_actionError;
    QString m_loadedAt; ///< when the rows on show were loaded, for the error banner
    int m_refreshMs = 3000;
};

} // namespace codalab::ui
