// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace codalab::ui {

/// The one line that says what this computer's worker is doing, from its status: the Dashboard's headline
/// and the status bar read the same words, so they never contradict each other ("● Available" above
/// "Connecting to the server…" was one truth told two ways).
///
/// Usage: WorkerHeadline::of(status, now) on each status; an empty status means no worker answers.
struct WorkerHeadline
{
    Q_DECLARE_TR_FUNCTIONS(WorkerHeadline)

public:
    enum class Kind { NotRunning, Starting, Available, Busy, Paused, Snoozed, Draining, Stopping, Problem };

    Kind kind = Kind::NotRunning;
    /// "Available", "Busy — 1 of 1 slots", "Snoozed until 00:59", "Starting the worker…", "The server is not
    /// reached"
    QString text;
    QString colour; ///< the dot's and the text's colour, "#2e7d32"
    /// Why, for Problem ("Connection refused"); never empty for Problem, empty otherwise.
    QString reason;

    static WorkerHeadline of(const QJsonObject &status, const QDateTime &now);
    /// The status bar's line: "Worker <id>: <text>[: <reason>]", or why no worker answers; empty while a
    /// connected worker has sent no status yet. *ok is false for a problem.
    static QString statusLine(
        bool connected, const QString &linkError, const QJsonObject &status, const QDateTime &now, bool *ok);
};

} // namespace codalab::ui
