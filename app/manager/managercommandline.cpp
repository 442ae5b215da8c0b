// SPDX-License-Identifier: GPL-3.0-or-later
#include "managercommandline.h"

#include "worker/controlserver.h"

#include <QCommandLineParser>
#include <QDir>

QString ManagerCommandLine::defaultSocket(const QString &tag)
{
    return codalab::worker::ControlServer::defaultSocketPath(QStringLiteral("manager-") + tag);
}

std::optional<ManagerCommandLine> ManagerCommandLine::parse(const QStringList &arguments, QString *error)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "CodaLab worker manager: turns the staged runs of a queue tag into Slurm jobs, each running a "
        "codalab-worker that takes a run and exits.\n\n"
        "  codalab-worker-manager slurm --server URL --password-file FILE --tag TAG [options]\n"
        "  codalab-worker-manager status [--json] | pause | resume | stop  [--tag TAG | --control-socket "
        "P]"));
    p.addHelpOption();
    p.addVersionOption();
    p.addPositionalArgument(
        QStringLiteral("command"), QStringLiteral("slurm, status, pause, resume or stop"));
    const auto value = [&](const char *name, const char *valueName, const char *help) {
        QCommandLineOption o { QString::fromLatin1(name), QString::fromLatin1(help),
            QString::fromLatin1(valueName) };
        p.addOption(o);
        return o;
    };
    const auto flag = [&](const char *name, const char *help) {
        QCommandLineOption o { QString::fromLatin1(name), QString::fromLatin1(help) };
        p.addOption(o);
        return o;
    };
    const auto server = value("server", "URL", "CodaLab server the workers serve.");
    const auto passwordFile = value("password-file", "FILE",
        "User name and password (mode 0600), read by the manager and by each job's worker (so on a file "
        "system "
        "the nodes share); without it CODALAB_USERNAME and CODALAB_PASSWORD, which sbatch passes to the "
        "jobs.");
    const auto tag = value("tag", "TAG", "Queue tag: runs submitted with --request-queue TAG.");
    const auto maxWorkers = value("max-workers", "N", "Jobs at most, pending and running (default 10).");
    const auto minWorkers
        = value("min-workers", "N", "Spare jobs kept running even without runs (default 0).");
    const auto partition = value("partition", "P", "Slurm partition (sbatch --partition).");
    const auto account = value("account", "A", "Slurm account (sbatch --account).");
    const auto gpuType = value("gpu-type", "TYPE", "Ask for GPUs as --gres=gpu:TYPE:N.");
    const auto sbatchArg = value("sbatch-arg", "ARG", "More for sbatch, as it is (repeatable).");
    const auto workerArgs
        = value("worker-args", "ARGS", "More for each job's codalab-worker, split on spaces.");
    const auto workerExe
        = value("worker-executable", "PATH", "codalab-worker on the nodes (default: on PATH).");
    const auto idle
        = value("idle-seconds", "S", "A job's worker exits after this long without a run (default 60).");
    const auto runsPerJob
        = value("runs-per-job", "N", "Runs a job's worker takes before it exits (default 1).");
    const auto workDir = value("work-dir-template", "DIR", "Each job's work dir; %j is the job id.");
    const auto logDir
        = value("log-dir", "DIR", "Where the jobs' output goes (default under ~/.local/state).");
    const auto prefix = value("job-name-prefix", "NAME", "Job names are NAME-TAG-RUN (default codalab).");
    const auto ssh = value("ssh", "HOST", "Run sbatch/squeue/scancel on HOST over ssh (your ssh config).");
    const auto allUsers = flag("all-users", "Serve every user's staged runs (not only .mine).");
    const auto poll
        = value("poll-seconds", "S", "Seconds between looks at the server and Slurm (default 5).");
    const auto maxFailures
        = value("max-failures", "N", "Failures in a row before submitting stops (default 3).");
    const auto control = value("control-socket", "PATH", "The manager's control socket.");
    const auto json = flag("json", "status as JSON.");
    const auto verbose = flag("verbose", "Log more.");
    if (!p.parse(arguments)) {
        *error = p.errorText();
        return std::nullopt;
    }
    if (p.isSet(QStringLiteral("help"))) {
        p.showHelp(0);
    }
    if (p.isSet(QStringLiteral("version"))) {
        p.showVersion();
    }
    ManagerCommandLine cl;
    const QStringList positional = p.positionalArguments();
    const QString command = positional.value(0);
    cl.verbose = p.isSet(verbose);
    cl.json = p.isSet(json);
    auto &c = cl.config;
    c.tag = p.value(tag);
    cl.controlSocket = p.isSet(control) ? p.value(control) : defaultSocket(c.tag);
    if (command == QLatin1String("status") || command == QLatin1String("pause")
        || command == QLatin1String("resume") || command == QLatin1String("stop")) {
        cl.mode = Mode::Control;
        cl.controlCommand = command;
        return cl;
    }
    if (command != QLatin1String("slurm") || positional.size() != 1) {
        *error = QStringLiteral("give a command: slurm, status, pause, resume or stop");
        return std::nullopt;
    }
    const auto number = [&](const QCommandLineOption &o, int fallback, int *out) {
        bool ok = true;
        *out = p.isSet(o) ? p.value(o).toInt(&ok) : fallback;
        if (!ok) {
            *error = QStringLiteral("--%1 takes a number").arg(o.names().first());
        }
        return ok;
    };
    c.serverUrl = p.value(server);
    c.passwordFile = p.isSet(passwordFile) ? QDir(p.value(passwordFile)).absolutePath() : QString();
    c.partition = p.value(partition);
    c.account = p.value(account);
    c.gpuType = p.value(gpuType);
    c.sbatchArgs = p.values(sbatchArg);
    c.workerArgs = p.value(workerArgs).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (p.isSet(workerExe)) {
        c.workerExecutable = p.value(workerExe);
    }
    c.workDirTemplate = p.value(workDir);
    c.logDir = p.isSet(logDir)
        ? QDir(p.value(logDir)).absolutePath()
        : (qEnvironmentVariableIsEmpty("XDG_STATE_HOME") ? QDir::homePath() + QStringLiteral("/.local/state")
                                                         : qEnvironmentVariable("XDG_STATE_HOME"))
            + QStringLiteral("/CodaLab/manager-") + c.tag; // Qt 6.4 has no GenericStateLocation
    if (p.isSet(prefix)) {
        c.jobNamePrefix = p.value(prefix);
    }
    c.sshHost = p.value(ssh);
    c.searchAllUsers = p.isSet(allUsers);
    if (!number(maxWorkers, c.maxWorkers, &c.maxWorkers) || !number(minWorkers, c.minWorkers, &c.minWorkers)
        || !number(idle, c.idleSeconds, &c.idleSeconds) || !number(runsPerJob, c.runsPerJob, &c.runsPerJob)
        || !number(poll, c.pollSeconds, &c.pollSeconds)
        || !number(maxFailures, c.maxFailures, &c.maxFailures)) {
        return std::nullopt;
    }
    if (!c.validate(error)) {
        return std::nullopt;
    }
    return cl;
}
