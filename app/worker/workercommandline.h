// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/workerconfig.h"

#include <QStringList>

#include <optional>

/// codalab-worker's command line: the flags of upstream's cl-worker where they overlap, our own (--slots,
/// --control-socket, --local ...), and the control subcommands (status, pause, resume, drain, stop, snooze,
/// set-slots, kill) that talk to a running worker.
struct WorkerCommandLine
{
    enum class Mode { Run, CheckDocker, GpuReport, Control, Submit };
    Mode mode = Mode::Run;

    codalab::worker::WorkerConfig config; ///< cpuset/gpuset still to be resolved against the machine
    QString cpusetSpec = QStringLiteral("ALL");
    QString gpusetSpec = QStringLiteral("ALL");
    QString serverUrl = QStringLiteral("https://worksheets.codalab.org");
    QString passwordFile;
    QString controlSocket;
    bool local = false;
    QString localDataDir;
    quint16 localPort = 0;
    bool verbose = false;
    QString checkDockerImage;

    QStringList control; ///< the subcommand and its arguments
    bool json = false;
    bool giveBack = false;
    QString requestImage; ///< submit
    QString requestQueue; ///< submit

    /// nullopt and *error for bad flags (the caller exits 2); --help and --version print and exit here.
    static std::optional<WorkerCommandLine> parse(const QStringList &arguments, QString *error);
};
