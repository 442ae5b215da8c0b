// SPDX-License-Identifier: GPL-3.0-or-later
#include "workercommandline.h"

#include "util/bytesize.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QSysInfo>

#include <unistd.h>

namespace {

QCommandLineOption valueOption(const char *name, const char *help, const char *valueName)
{
    return QCommandLineOption(
        QLatin1String(name), QCoreApplication::translate("codalab-worker", help), QLatin1String(valueName));
}

QCommandLineOption flagOption(const char *name, const char *help)
{
    return QCommandLineOption(QLatin1String(name), QCoreApplication::translate("codalab-worker", help));
}

bool readInt(const QCommandLineParser &p, const char *name, int minimum, int *out, QString *error)
{
    if (!p.isSet(QLatin1String(name))) {
        return true;
    }
    bool ok = false;
    const int value = p.value(QLatin1String(name)).toInt(&ok);
    if (!ok || value < minimum) {
        *error = QStringLiteral("--%1 wants a whole number of at least %2, not '%3'")
                     .arg(QLatin1String(name))
                     .arg(minimum)
                     .arg(p.value(QLatin1String(name)));
        return false;
    }
    *out = value;
    return true;
}

bool readSize(const QCommandLineParser &p, const char *name, std::optional<qint64> *out, QString *error)
{
    if (!p.isSet(QLatin1String(name))) {
        return true;
    }
    QString why;
    const auto bytes = codalab::util::ByteSize::parse(p.value(QLatin1String(name)), &why);
    if (!bytes || *bytes <= 0) {
        *error = QStringLiteral("--%1 wants a size such as 10g or 500m, not '%2'")
                     .arg(QLatin1String(name), p.value(QLatin1String(name)));
        return false;
    }
    *out = *bytes;
    return true;
}

} // namespace

std::optional<WorkerCommandLine> WorkerCommandLine::parse(const QStringList &arguments, QString *error)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "CodaLab Desktop worker: runs CodaLab bundles in Docker containers for a CodaLab server.\n\n"
        "Control a running worker with: codalab-worker status [--json] | pause | resume | drain |\n"
        "  stop [--give-back] | snooze SECONDS | set-slots N | kill RUN_UUID\n"
        "Submit a run and follow it (like cl run -t): codalab-worker [--local-data-dir DIR | --server URL\n"
        "  --password-file FILE] submit [--request-docker-image IMG] [--request-queue TAG] 'COMMAND'"));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        valueOption("server", "CodaLab server URL (default https://worksheets.codalab.org).", "URL"),
        valueOption("work-dir", "Scratch directory for runs, dependencies and state.", "DIR"),
        valueOption("id",
            "Worker id; keep it stable so a restarted worker resumes its runs (default: host name).", "ID"),
        valueOption("tag", "Queue tag: runs with --request-queue TAG can come here.", "TAG"),
        flagOption("tag-exclusive", "Only take runs whose queue is this worker's tag."),
        valueOption("group", "Share the worker with this group.", "NAME"),
        valueOption("password-file",
            "File with the user name on line 1 and the password on line 2 (mode 0600).", "FILE"),
        valueOption("cpuset", "CPUs runs may use: ALL or a list such as 0,2,4-7.", "CPUS"),
        valueOption("gpuset", "GPUs runs may use: ALL, NONE, or indices/UUIDs.", "GPUS"),
        valueOption("slots", "Runs at once, each with its own CPUs and GPUs (default 1).", "N"),
        valueOption("max-work-dir-size", "Size limit of the dependency cache (default 10g).", "SIZE"),
        valueOption("max-image-cache-size", "Size limit of Docker images this worker pulled.", "SIZE"),
        valueOption("max-memory", "Memory to offer (default: all of it).", "SIZE"),
        valueOption("checkin-frequency-seconds",
            "Seconds between check-ins when the server does not hold them.", "N"),
        flagOption("exit-when-idle", "Exit after --idle-seconds without runs."),
        valueOption("idle-seconds", "Idle time before --exit-when-idle exits.", "N"),
        valueOption("exit-after-num-runs", "Take this many runs, then exit when they are done.", "N"),
        valueOption("network-prefix", "Prefix of the worker's Docker networks.", "NAME"),
        flagOption("pass-down-termination", "On SIGTERM/SIGINT give unfinished runs back to the server."),
        valueOption("shared-memory-size-gb", "/dev/shm of run containers in GiB (default 1).", "N"),
        valueOption(
            "download-dependencies-max-retries", "Attempts per dependency download (default 3).", "N"),
        flagOption("preemptible", "Tell the server this worker may disappear."),
        flagOption("shared-file-system", "The server's bundle store is on this machine: no transfers."),
        valueOption("control-socket", "Path of the control socket (default under $XDG_RUNTIME_DIR).", "PATH"),
        flagOption("local", "Start an embedded codalab-local-server and work for it."),
        valueOption("local-data-dir", "Data directory of the embedded server (with --local).", "DIR"),
        valueOption(
            "local-port", "Port of the embedded server on 127.0.0.1 (with --local; default: any).", "PORT"),
        flagOption("no-network", "Run every container without a network, whatever the run asks."),
        valueOption(
            "image-refresh-seconds", "Pull a tag again at most this often (default 600; 0: every run).", "N"),
        valueOption(
            "check-docker", "Check that Docker can run CodaLab containers with IMAGE, then exit.", "IMAGE"),
        flagOption("gpu-report",
            "Print the GPUs and GPU processes nvidia-smi reports, the container of each process and the "
            "DeviceRequests a 1-GPU run gets, then exit (1 when nvidia-smi failed or its output did not "
            "parse)."),
        flagOption("json", "status: print the raw JSON."),
        flagOption("give-back", "stop: give unfinished runs back to the server."),
        valueOption("request-docker-image", "submit: the run's Docker image.", "IMAGE"),
        valueOption("request-queue", "submit: the run's queue (a worker tag).", "TAG"),
        flagOption("verbose", "Debug logging."),
    });
    p.addPositionalArgument(QStringLiteral("command"),
        QStringLiteral("Control a running worker (see above)."), QStringLiteral("[command [args]]"));
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
    WorkerCommandLine c;
    codalab::worker::WorkerConfig &w = c.config;
    w.hostname = QSysInfo::machineHostName();
    w.id = p.isSet(QStringLiteral("id")) ? p.value(QStringLiteral("id")) : w.hostname;
    if (w.id.isEmpty()) {
        *error = QStringLiteral("--id must not be empty");
        return std::nullopt;
    }
    const QString dataHome = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    w.workDir = QDir(p.isSet(QStringLiteral("work-dir"))
            ? p.value(QStringLiteral("work-dir"))
            : dataHome + QStringLiteral("/CodaLab/worker/") + w.fileSafeId())
                    .absolutePath();
    w.tag = p.value(QStringLiteral("tag"));
    if (!w.tag.isEmpty() && !QRegularExpression(QStringLiteral("^[a-zA-Z0-9-]+$")).match(w.tag).hasMatch()) {
        *error = QStringLiteral("--tag may only contain letters, digits and hyphens");
        return std::nullopt;
    }
    w.tagExclusive = p.isSet(QStringLiteral("tag-exclusive")) && !w.tag.isEmpty();
    w.groupName = p.value(QStringLiteral("group"));
    c.passwordFile = p.value(QStringLiteral("password-file"));
    if (p.isSet(QStringLiteral("server"))) {
        c.serverUrl = p.value(QStringLiteral("server"));
    }
    if (p.isSet(QStringLiteral("cpuset"))) {
        c.cpusetSpec = p.value(QStringLiteral("cpuset"));
    }
    if (p.isSet(QStringLiteral("gpuset"))) {
        c.gpusetSpec = p.value(QStringLiteral("gpuset"));
    }
    int slotCount = 1;
    int pollSec = w.checkinFrequencySec;
    int idle = 0;
    int runs = w.exitAfterNumRuns;
    int shm = w.sharedMemorySizeGb;
    int retries = w.downloadMaxRetries;
    int refresh = w.imageRefreshSec;
    int port = 0;
    std::optional<qint64> workDirSize;
    std::optional<qint64> maxMemory;
    if (!readInt(p, "slots", 1, &slotCount, error)
        || !readInt(p, "checkin-frequency-seconds", 1, &pollSec, error)
        || !readInt(p, "idle-seconds", 0, &idle, error) || !readInt(p, "exit-after-num-runs", 0, &runs, error)
        || !readInt(p, "shared-memory-size-gb", 0, &shm, error)
        || !readInt(p, "download-dependencies-max-retries", 1, &retries, error)
        || !readInt(p, "image-refresh-seconds", 0, &refresh, error)
        || !readInt(p, "local-port", 0, &port, error)
        || !readSize(p, "max-work-dir-size", &workDirSize, error)
        || !readSize(p, "max-image-cache-size", &w.maxImageCacheSizeBytes, error)
        || !readSize(p, "max-memory", &maxMemory, error)) {
        return std::nullopt;
    }
    if (port > 65535) {
        *error = QStringLiteral("--local-port must be a TCP port");
        return std::nullopt;
    }
    w.slotCount = slotCount;
    w.checkinFrequencySec = pollSec;
    w.idleSeconds = idle;
    w.exitAfterNumRuns = runs;
    w.sharedMemorySizeGb = shm;
    w.downloadMaxRetries = retries;
    w.imageRefreshSec = refresh;
    w.maxWorkDirSizeBytes = workDirSize.value_or(w.maxWorkDirSizeBytes);
    const qint64 physical = qint64(::sysconf(_SC_PHYS_PAGES)) * qint64(::sysconf(_SC_PAGESIZE));
    w.memoryBytes = maxMemory ? qMin(*maxMemory, physical) : physical;
    w.exitWhenIdle = p.isSet(QStringLiteral("exit-when-idle"));
    if (p.isSet(QStringLiteral("network-prefix"))) {
        w.networkPrefix = p.value(QStringLiteral("network-prefix"));
    }
    w.passDownTermination = p.isSet(QStringLiteral("pass-down-termination"));
    w.preemptible = p.isSet(QStringLiteral("preemptible"));
    w.sharedFileSystem = p.isSet(QStringLiteral("shared-file-system"));
    w.runsWithoutNetwork = p.isSet(QStringLiteral("no-network"));
    c.local = p.isSet(QStringLiteral("local"));
    c.localDataDir = p.value(QStringLiteral("local-data-dir"));
    c.localPort = quint16(port);
    if (c.local) {
        w.sharedFileSystem = true; // §8: local mode runs in the server's bundle directories
    }
    c.controlSocket = p.value(QStringLiteral("control-socket"));
    c.verbose = p.isSet(QStringLiteral("verbose"));
    c.json = p.isSet(QStringLiteral("json"));
    c.giveBack = p.isSet(QStringLiteral("give-back"));
    c.control = p.positionalArguments();
    c.requestImage = p.value(QStringLiteral("request-docker-image"));
    c.requestQueue = p.value(QStringLiteral("request-queue"));
    if (p.isSet(QStringLiteral("gpu-report"))) {
        c.mode = Mode::GpuReport;
    } else if (p.isSet(QStringLiteral("check-docker"))) {
        c.mode = Mode::CheckDocker;
        c.checkDockerImage = p.value(QStringLiteral("check-docker"));
    } else if (c.control.value(0) == QLatin1String("submit")) {
        c.mode = Mode::Submit;
        if (!c.localDataDir.isEmpty() && !p.isSet(QStringLiteral("server"))) {
            // A local server writes its URL and root password file into its data directory.
            QFile url(c.localDataDir + QStringLiteral("/server-url"));
            if (url.open(QIODevice::ReadOnly)) {
                c.serverUrl = QString::fromUtf8(url.readAll()).trimmed();
            }
            if (c.passwordFile.isEmpty()) {
                c.passwordFile = c.localDataDir + QStringLiteral("/codalab-password");
            }
        }
    } else if (!c.control.isEmpty()) {
        c.mode = Mode::Control;
    }
    return c;
}
