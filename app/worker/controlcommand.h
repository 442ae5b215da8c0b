// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QStringList>

/// `codalab-worker status|pause|resume|drain|stop|snooze|set-slots|kill`: one call on a running worker's
/// control socket, printed for a shell. Exit codes: 0 done, 1 the worker refused, 2 bad usage, 3 no worker.
class ControlCommand
{
public:
    ControlCommand() = delete;
    static int run(const QString &socketPath, const QStringList &command, bool json, bool giveBack);
    /// A status answer as a person reads it.
    static QString formatStatus(const QJsonObject &status);
};
