// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace codalab::server {
class ApiJob;
class CodaLabClient;
} // namespace codalab::server

namespace codalab::ui {

class LogView;

/// The Logs page: the stdout and stderr of one run (a tab each), read from the run's directory when it
/// runs on this machine's worker and through the REST API when it runs elsewhere, or the worker's own
/// log. Before anything is chosen it says how to choose a run.
///
/// Usage: showLocalRun(uuid, runDir) from the Dashboard (runDir is the worker status' run_dir) and
/// setRunState() as its state changes; showRemoteRun(client, uuid) from My runs (the state is read from
/// the server); showWorkerLog(path); clear() for the empty state.
class LogsPage : public QWidget
{
    Q_OBJECT
public:
    explicit LogsPage(QWidget *parent = nullptr);

    void showLocalRun(const QString &uuid, const QString &runDir);
    /// `client` must outlive what it shows.
    void showRemoteRun(server::CodaLabClient *client, const QString &uuid);
    void showWorkerLog(const QString &path);
    void clear();

    /// The run's state for the title ("running", "ready"...), for local runs whose state the worker knows.
    void setRunState(const QString &state);

    QString uuid() const { return m_uuid; }
    QString title() const;
    bool isEmptyState() const;
    LogView *stdoutView() const { return m_stdout; }
    LogView *stderrView() const { return m_stderr; }
    LogView *workerLogView() const { return m_workerLog; }

Q_SIGNALS:
    void titleChanged(const QString &title);

private:
    void showRunPage(const QString &uuid);
    void pollBundle();
    void updateTitle();
    void updateTabs();

    QStackedWidget *m_stack;
    QLabel *m_empty;
    QWidget *m_runPage;
    QLabel *m_title;
    QTabWidget *m_tabs;
    LogView *m_stdout;
    LogView *m_stderr;
    QWidget *m_workerPage;
    QLabel *m_workerTitle;
    LogView *m_workerLog;
    QString m_uuid;
    QString m_state;
    QString m_name;
    QPointer<server::CodaLabClient> m_client;
    QPointer<server::ApiJob> m_bundleJob;
    QTimer m_bundleTimer;
};

} // namespace codalab::ui
