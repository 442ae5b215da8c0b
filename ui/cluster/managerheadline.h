// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace codalab::ui {

/// A worker manager's state, as the Cluster page, the tray's Cluster menu and the headline read it.
enum class ManagerState { NotRunning, Starting, Running, Paused, Halted, Stopping };

/// A worker manager's state and its one line in words, from what its control socket says (as WorkerHeadline
/// is the worker's): "Running — 2 jobs: 1 running, 1 pending", "Paused — no jobs", "Stopped submitting after
/// 3 failures in a row — Resume to try again", "Did not start: <why>", "Not running".
class ManagerHeadline
{
    Q_DECLARE_TR_FUNCTIONS(ManagerHeadline)

public:
    ManagerHeadline() = delete;

    /// `starting`: a start is under way; `answering`: the control socket answers; `status`: its last status.
    static ManagerState stateOf(bool starting, bool answering, const QJsonObject &status);
    /// `startError`: why the last start did not come up (empty when it did); *ok is false for a line that
    /// needs the user (a halt, a failed start).
    static QString text(ManagerState state, const QJsonObject &status, const QString &startError, bool *ok);
};

} // namespace codalab::ui
