// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cluster/managerconfig.h"

#include <QStringList>

#include <optional>

/// `codalab-worker-manager`'s command line: `slurm [flags]` runs a manager; `status [--json] | pause |
/// resume | stop` talk to a running one through its control socket.
struct ManagerCommandLine
{
    enum class Mode { Slurm, Control };
    Mode mode = Mode::Slurm;
    codalab::cluster::ManagerConfig config;
    QString controlSocket;
    QString controlCommand;
    bool json = false;
    bool verbose = false;

    /// The socket a manager of `tag` listens on unless --control-socket says otherwise.
    static QString defaultSocket(const QString &tag);
    static std::optional<ManagerCommandLine> parse(const QStringList &arguments, QString *error);
};
