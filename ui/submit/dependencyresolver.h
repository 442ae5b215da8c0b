// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "submit/dependencymodel.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace codalab::server {
class ApiJob;
class CodaLabClient;
struct ApiResult;
} // namespace codalab::server

namespace codalab::ui {

/// Resolves the rows of a DependencyModel against the server as the user types, the way `cl run` will:
/// "ws//bundle/sub" on worksheet ws, any other target on the run's worksheet (home when none is given).
///
/// Usage: construct over a client and a model; it listens to the model's changed() and asks once the
/// typing has paused for debounceMs() (400 ms), never per keystroke. Each row has at most one lookup in
/// flight: a row edited again cancels its old lookup, and an answer for a row edited meanwhile is
/// dropped by the model. setWorksheet() re-resolves every row on the new worksheet. finished() fires
/// when no lookup is left in flight.
class DependencyResolver : public QObject
{
    Q_OBJECT
public:
    DependencyResolver(server::CodaLabClient *client, DependencyModel *model, QObject *parent = nullptr);
    ~DependencyResolver() override;

    /// A worksheet spec as the dialog's worksheet field has it; empty: the home worksheet.
    void setWorksheet(const QString &spec);
    int debounceMs() const { return m_debounce.interval(); }
    void setDebounceMs(int ms) { m_debounce.setInterval(ms); }
    bool isBusy() const;

Q_SIGNALS:
    void finished();

private:
    void lookUp();
    /// The worksheet's uuid when known; otherwise starts (once) finding it and returns an empty string.
    QString worksheetUuid(const QString &spec);
    void onWorksheet(const QString &spec, const server::ApiResult &result);
    /// After `spec` resolved to `uuid`: whether other bundles share its name, noted on the row.
    void checkShared(const DependencyModel::LookupRequest &l, const QString &spec, const QString &worksheet,
        const QString &uuid, const QString &name);
    void finishIfIdle();

    server::CodaLabClient *m_client;
    DependencyModel *m_model;
    QTimer m_debounce;
    QString m_worksheet;
    QHash<QString, QString> m_worksheetUuids;
    QHash<QString, QPointer<server::ApiJob>> m_worksheetJobs;
    QHash<quint64, QPointer<server::ApiJob>> m_bundleJobs; ///< by row id
};

} // namespace codalab::ui
