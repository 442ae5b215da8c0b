// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apijob.h"

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QPointer>
#include <QStringList>

#include <functional>

class QTimer;

namespace codalab::server {
class CodaLabClient;
} // namespace codalab::server

namespace codalab::ui {

/// The signed-in user's run bundles on the CodaLab server, newest first, one row per bundle uuid.
///
/// Usage: construct with a logged-in CodaLabClient, call refresh() (or setAutoRefresh(3000) while a view
/// shows it) and connect refreshed(bool) / errorChanged(QString). Each answer is applied row by row
/// (inserted, removed, or updated with one dataChanged over the changed columns only; over column 0 with
/// BundleRole when only data behind the row changed), so views keep their selection and persistent
/// indexes. A failed refresh keeps the rows it had and reports the error. Never more than one search is
/// in flight: a refresh asked for meanwhile is sent when the current one ends. Upload bundles are left out.
/// The ages in CreatedColumn and the run times of active runs count from the clock at the moment they are
/// read: refreshTimes() tells views they moved on, with one dataChanged over those two columns only.
class MyRunsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        UuidColumn,
        NameColumn,
        StateColumn,
        CommandColumn,
        ImageColumn,
        QueueColumn,
        CreatedColumn,
        RunTimeColumn,
        ColumnCount
    };
    enum Role {
        UuidRole = Qt::UserRole + 1, ///< the full uuid
        BundleRole, ///< the bundle resource (QJsonObject) as the server sent it
        StateRole, ///< the raw state ("staged", "running", ...)
        SortRole, ///< numbers for the time columns, text otherwise
    };

    explicit MyRunsModel(server::CodaLabClient *client, QObject *parent = nullptr);
    ~MyRunsModel() override;

    /// Asks the server for `.mine .limit=200` now, or once the search in flight has finished.
    void refresh();
    /// The clock moved on: one dataChanged over CreatedColumn..RunTimeColumn of every row (display and sort
    /// roles), nothing when there are no rows.
    void refreshTimes();
    /// A search is in flight or queued.
    bool isRefreshing() const { return m_job || m_queued; }
    /// Forgets everything, as after a logout or a switch to another account: no rows, no error, hasLoaded()
    /// false; the answer of a search in flight is dropped. The auto-refresh interval is kept.
    void clear();
    /// Refreshes every `ms` milliseconds; 0 stops it.
    void setAutoRefresh(int ms);
    int autoRefreshInterval() const;
    /// A refresh has succeeded at least once, so an empty model means "no runs".
    bool hasLoaded() const { return m_loaded; }
    /// The last refresh's error, empty after a success.
    QString errorString() const { return m_error; }
    /// Seconds since the epoch; the ages in CreatedColumn and the run times count from it (tests fix it).
    void setClock(std::function<qint64()> nowSecs);

    int rowOf(const QString &uuid) const;
    QJsonObject bundle(int row) const { return m_rows.at(row).bundle; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// The states the page calls active: created, staged, making, starting, preparing, running, finalizing.
    static const QStringList &activeStates();
    /// ready, failed, killed: nothing more happens to the bundle and it cannot be killed.
    static bool isFinalState(const QString &state);

Q_SIGNALS:
    /// After every answer, good or not.
    void refreshed(bool ok);
    void errorChanged(const QString &error);

private:
    struct Row
    {
        QString uuid;
        QJsonObject bundle;
        /// Display text per column, as of the refresh that set them; for the clock columns, what their text
        /// depends on besides the clock.
        QStringList cells;
    };

    void onSearched(const server::ApiResult &result);
    void apply(const QList<Row> &rows);
    void update(int row, const Row &fresh);
    void setError(const QString &error);
    Row makeRow(const QJsonObject &bundle) const;
    QString displayText(const Row &row, int column) const;

    server::CodaLabClient *m_client;
    QList<Row> m_rows;
    QPointer<server::ApiJob> m_job;
    QTimer *m_timer;
    std::function<qint64()> m_now;
    QString m_error;
    bool m_queued = false;
    bool m_loaded = false;
};

} // namespace codalab::ui
