// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apijob.h"
#include "server/runrequest.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace codalab::server {
class CodaLabClient;
} // namespace codalab::server

namespace codalab::ui {

class MyRunsFilterModel;
class MyRunsModel;
class RunDetailsPanel;

/// "My runs": the user's run bundles on the CodaLab server, filterable by state and text and sortable by
/// column, with the selected run's details (for a staged run, why it waits) and its actions: Logs (also a
/// double click or Enter), Kill (active runs, after a confirmation), Rerun… and Refresh.
///
/// Usage: construct with a logged-in CodaLabClient and put it in the main window. While shown it
/// refreshes every refreshInterval() ms. Connect logsRequested(uuid) to the log viewer and
/// rerunRequested(request) to the submission dialog (prefilled with the request). Kills go straight to
/// the server; killFinished(uuid, ok) reports each one, and a failure is also shown above the table.
/// Call clear() when the account changes (logout, profile switch).
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

public Q_SLOTS:
    void refresh();
    /// Forgets the runs of the account that was (logout, another profile): no rows, no details, no error;
    /// the page says it is loading until the next refresh answers (MyRunsModel::clear()).
    void clear();
    void requestLogs();
    /// Asks for confirmation (a window-modal box, nothing blocks), then kills the selected run.
    void killSelected();
    void rerunSelected();

Q_SIGNALS:
    void logsRequested(const QString &uuid);
    void rerunRequested(const codalab::server::RunRequest &request);
    void killFinished(const QString &uuid, bool ok);

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
    QString m_actionError;
    QString m_loadedAt; ///< when the rows on show were loaded, for the error banner
    int m_refreshMs = 3000;
};

} // namespace codalab::ui
