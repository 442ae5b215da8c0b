// SPDX-License-Identifier: GPL-3.0-or-later
// dockerd restarted, gone for a while, or killed, under a worker with runs in flight (issue #8): each
// affected run fails saying why, and the next run is served; with live-restore the runs carry on instead. The
// daemon is a private one started by the test, never the shared daemon the other tests use.
#include "support/codalabtestdata.h"
#include "support/dockertestenv.h"
#include "worker/workerharness.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>

using namespace codalab;
using namespace codalab::test;

namespace {

const QStringList Final { QStringLiteral("ready"), QStringLiteral("failed"), QStringLiteral("killed") };
/// Runs that hold no CPU of their own, so that several fit on a two-core machine.
const QJsonObject NoCpu { { QStringLiteral("request_cpus"), 0 } };

QString state(const QJsonObject &b)
{
    return b.value(QLatin1String("state")).toString();
}

/// A dockerd of one test on its own socket, data root and exec root, all under a short temporary directory
/// (a unix socket path has at most 107 bytes). Stopped, with its directory removed, whatever way the test
/// ends.
class PrivateDockerd
{
public:
    explicit PrivateDockerd(QStringList extraArguments = {})
        : m_extraArguments(std::move(extraArguments))
    {
        QByteArray templ = QDir::tempPath().toLocal8Bit() + "/cldd-XXXXXX";
        if (::mkdtemp(templ.data())) {
            m_dir = QString::fromLocal8Bit(templ);
        }
    }
    ~PrivateDockerd()
    {
        stop();
        unmountLeftovers();
        if (!m_dir.isEmpty()) {
            QDir(m_dir).removeRecursively();
        }
    }
    PrivateDockerd(const PrivateDockerd &) = delete;
    PrivateDockerd &operator=(const PrivateDockerd &) = delete;

    QString host() const { return QStringLiteral("unix://") + m_dir + QStringLiteral("/docker.sock"); }

    /// Starts dockerd and waits until it answers; false with `error` when it cannot start here.
    bool start(QString *error)
    {
        if (m_dir.isEmpty()) {
            *error = QStringLiteral("cannot create a temporary directory");
            return false;
        }
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->setStandardOutputFile(m_dir + QStringLiteral("/dockerd.log"), QIODevice::Append);
        // A test that crashes or is killed takes its dockerd down with it (SIGTERM: it stops its containers).
        m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        m_process->start(QStringLiteral("dockerd"),
            QStringList { QStringLiteral("--host"), host(), QStringLiteral("--data-root"),
                m_dir + QStringLiteral("/root"), QStringLiteral("--exec-root"),
                m_dir + QStringLiteral("/exec"), QStringLiteral("--pidfile"),
                m_dir + QStringLiteral("/docker.pid"), QStringLiteral("--bridge=none"),
                QStringLiteral("--iptables=false"), QStringLiteral("--ip6tables=false") }
                + m_extraArguments);
        if (!m_process->waitForStarted()) {
            *error = m_process->errorString();
            m_process.reset();
            return false;
        }
        const bool up
            = waitUntil([this] { return m_process->state() == QProcess::NotRunning || answers(); }, 60000);
        if (!up || m_process->state() == QProcess::NotRunning) {
            *error = QStringLiteral("dockerd did not answer; its log ends with: ") + logTail();
            stop();
            return false;
        }
        return true;
    }

    /// SIGTERM, as a service manager stops it, and wait (the event loop turns meanwhile); SIGKILL after 60 s.
    void stop()
    {
        if (!m_process || m_process->state() == QProcess::NotRunning) {
            return;
        }
        m_process->terminate();
        if (!waitUntil([this] { return m_process->state() == QProcess::NotRunning; }, 60000)) {
            m_process->kill();
            m_process->waitForFinished();
            // Its containerd would outlive it.
            QFile pidFile(m_dir + QStringLiteral("/exec/containerd/containerd.pid"));
            if (pidFile.open(QIODevice::ReadOnly)) {
                const int pid = pidFile.readAll().trimmed().toInt();
                if (pid > 0) {
                    ::kill(pid, SIGKILL);
                }
            }
        }
    }

    /// SIGKILL, as a crash: its containers run on without it until the next dockerd finds them.
    void crash()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished();
        }
    }

    /// One ping; false when it fails or hangs (a dockerd restoring its containers accepts and says nothing).
    /// No REQUIRE here: this runs inside the event loop's condition.
    bool answers()
    {
        docker::DockerClient client(*docker::DockerEndpoint::parse(host()));
        std::optional<bool> ok;
        docker::DockerReply *ping = client.ping();
        QObject::connect(ping, &docker::DockerReply::finished, ping,
            [&ok](const docker::DockerResult &r) { ok = r.ok(); });
        waitUntil([&ok] { return ok.has_value(); }, 5000);
        return ok.value_or(false);
    }

    /// Imports the offline test image into this daemon; false with `error` when the script fails.
    bool importTestImage(QString *error)
    {
        QProcess script;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DOCKER_HOST"), host());
        script.setProcessEnvironment(env);
        script.setProcessChannelMode(QProcess::MergedChannels);
        script.start(QStringLiteral("bash"), { QStringLiteral(CODALAB_SCRIPTS_DIR "/build-test-image.sh") });
        const bool ended = script.waitForStarted()
            && waitUntil([&] { return script.state() == QProcess::NotRunning; }, 120000);
        if (!ended || script.exitStatus() != QProcess::NormalExit || script.exitCode() != 0) {
            *error = QString::fromLocal8Bit(script.readAll());
            return false;
        }
        return true;
    }

    QString logTail() const
    {
        QFile log(m_dir + QStringLiteral("/dockerd.log"));
        return log.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(log.readAll().right(2000)) : QString();
    }

private:
    /// A dockerd that died hard leaves overlay and namespace mounts under its roots: removing the
    /// directory through them would reach into what they show.
    void unmountLeftovers() const
    {
        if (m_dir.isEmpty()) {
            return;
        }
        QFile mounts(QStringLiteral("/proc/self/mounts"));
        if (!mounts.open(QIODevice::ReadOnly)) {
            return;
        }
        QList<QByteArray> points;
        for (const QByteArray &line : mounts.readAll().split('\n')) {
            const QByteArray point = line.split(' ').value(1);
            if (point.startsWith(QByteArray(m_dir.toLocal8Bit() + '/'))) {
                points << point;
            }
        }
        std::sort(points.begin(), points.end(), [](const QByteArray &a, const QByteArray &b) {
            return a.size() > b.size(); // the deepest first
        });
        for (const QByteArray &point : std::as_const(points)) {
            ::umount2(point.constData(), MNT_DETACH);
        }
    }

    QStringList m_extraArguments;
    QString m_dir;
    std::unique_ptr<QProcess> m_process;
};

/// DOCKER_HOST set for the clients built while it lives (the WorkerHarness's own), restored after.
struct ScopedDockerHost
{
    explicit ScopedDockerHost(const QString &host)
        : had(qEnvironmentVariableIsSet("DOCKER_HOST"))
        , old(qgetenv("DOCKER_HOST"))
    {
        qputenv("DOCKER_HOST", host.toLocal8Bit());
    }
    ~ScopedDockerHost()
    {
        if (had) {
            qputenv("DOCKER_HOST", old);
        } else {
            qunsetenv("DOCKER_HOST");
        }
    }
    bool had;
    QByteArray old;
};

/// A worker in this process, logged in to a local server in this process, whose Docker is a private dockerd
/// with the test image imported. `ready` is false (with a WARN) where no private dockerd can run.
struct PrivateWorker
{
    explicit PrivateWorker(const QStringList &dockerdArguments = {})
        : dockerd(dockerdArguments)
    {
        if (::geteuid() != 0 || QStandardPaths::findExecutable(QStringLiteral("dockerd")).isEmpty()) {
            WARN("skipped: starting a private dockerd needs root and dockerd");
            return;
        }
        QString error;
        if (!dockerd.start(&error)) {
            WARN("skipped: a private dockerd cannot start here: " << error.toStdString());
            return;
        }
        const bool imported = dockerd.importTestImage(&error);
        INFO(error.toStdString());
        REQUIRE(imported);
        scopedHost.emplace(dockerd.host());
        h = std::make_unique<WorkerHarness>(f, [](worker::WorkerConfig &c) { c.slotCount = 3; });
        REQUIRE(QStringLiteral("unix://") + h->docker.endpoint().socketPath == dockerd.host());
        h->start();
        client = f.root();
        ready = true;
    }

    /// Submits `count` runs of `command` and waits until the server has them all running.
    QStringList startRuns(int count, const QString &command)
    {
        QStringList uuids;
        for (int i = 0; i < count; ++i) {
            uuids << submitRun(*client, command, NoCpu);
        }
        const QStringList runningOrFinal = QStringList { QStringLiteral("running") } + Final;
        for (const QString &uuid : std::as_const(uuids)) {
            REQUIRE(state(waitForState(*client, uuid, runningOrFinal, 60000)) == QLatin1String("running"));
        }
        return uuids;
    }

    /// Stops dockerd (SIGTERM, or SIGKILL with `crash`), leaves it down for `downSec`, starts it again; the
    /// seconds the stop took and until the daemon answered again.
    std::pair<double, double> restartDockerd(int downSec, bool crash = false)
    {
        QElapsedTimer restart;
        restart.start();
        if (crash) {
            dockerd.crash();
        } else {
            dockerd.stop();
        }
        const double stopSec = restart.elapsed() / 1000.0;
        if (downSec > 0) {
            waitUntil([] { return false; }, downSec * 1000); // the worker's loop turns meanwhile
        }
        QString error;
        const bool started = dockerd.start(&error);
        INFO(error.toStdString());
        REQUIRE(started);
        return { stopSec, restart.elapsed() / 1000.0 };
    }

    LocalServerFixture f;
    PrivateDockerd dockerd;
    std::optional<ScopedDockerHost> scopedHost;
    std::unique_ptr<WorkerHarness> h;
    std::unique_ptr<HttpTestClient> client;
    bool ready = false;
};

/// Two runs sleeping on a worker of a private dockerd; dockerd is stopped (or killed, with `crash`), left
/// down for `downSec`, and started again. Both runs must fail saying what happened, and a run submitted
/// afterwards must be served.
void interruptDockerdMidRun(int downSec, bool crash = false)
{
    PrivateWorker w;
    if (!w.ready) {
        return;
    }
    const QStringList affected = w.startRuns(2, QStringLiteral("sleep 120"));
    const auto [stopSec, restartSec] = w.restartDockerd(downSec, crash);

    QString message;
    int failed = 0;
    for (const QString &uuid : affected) {
        const QJsonObject b = waitForState(*w.client, uuid, Final, 90000);
        INFO(QJsonDocument(b).toJson().toStdString());
        CHECK(state(b) == QLatin1String("failed"));
        message = metadata(b, "failure_message").toString();
        // Says what happened, not a bare exit code nor the memory limit a SIGKILL would otherwise suggest.
        CHECK(message.contains(QLatin1String("Docker daemon stopped or restarted")));
        CHECK(message.contains(QLatin1String("while the run was running")));
        CHECK(message.contains(QRegularExpression(QStringLiteral("\\(exit code 1(37|43)[):]"))));
        CHECK_FALSE(message.contains(QLatin1String("Memory limit")));
        failed += state(b) == QLatin1String("failed") ? 1 : 0;
    }
    // The worker forgets them, and removed their containers.
    CHECK(waitUntil([&] { return w.h->worker->runs().isEmpty(); }, 30000));
    const docker::DockerResult left = waitReply(w.h->docker.listContainers(
        { { QStringLiteral("label"), { QStringLiteral("org.codalab.worker=") + w.h->config.id } } }));
    CHECK(left.json.array().isEmpty());

    QElapsedTimer next;
    next.start();
    const QString after = submitRun(*w.client, QStringLiteral("echo served after the restart"), NoCpu);
    const QJsonObject b = waitForState(*w.client, after, Final, 90000);
    INFO(QJsonDocument(b).toJson().toStdString());
    CHECK(state(b) == QLatin1String("ready"));
    CHECK(readBundleFile(*w.client, after, QStringLiteral("stdout")) == "served after the restart\n");
    std::printf("dockerd: %s: stopping took %.1f s, answering again after %.1f s; %d of %d affected runs "
                "failed with \"%s\"; the next run was ready %.1f s after it was submitted\n",
        crash             ? "killed (-9) and restarted"
            : downSec > 0 ? "down for a while"
                          : "restarted",
        stopSec, restartSec, failed, int(affected.size()), qPrintable(message), next.elapsed() / 1000.0);
}

} // namespace

TEST_CASE("dockerd restarted mid-run: each affected run fails saying so and the next run is served",
    "[worker][dockerd]")
{
    interruptDockerdMidRun(0);
}

TEST_CASE("dockerd down for 10 s mid-run: each affected run fails saying so and the next run is served",
    "[worker][dockerd]")
{
    interruptDockerdMidRun(10);
}

TEST_CASE("dockerd killed mid-run: each affected run fails saying so and the next run is served",
    "[worker][dockerd]")
{
    // The worker's wait breaks while the containers still run; the next dockerd stops them as it starts.
    interruptDockerdMidRun(2, true);
}

TEST_CASE("dockerd with live-restore restarted mid-run: the runs carry on to their end", "[worker][dockerd]")
{
    // The containers outlive the daemon here, so the worker's wait on them breaks while they still run: the
    // worker must wait again once the daemon is back, not take the broken wait for their end.
    PrivateWorker w({ QStringLiteral("--live-restore") });
    if (!w.ready) {
        return;
    }
    const QStringList runs = w.startRuns(2, QStringLiteral("sleep 12; echo finished"));
    const auto [stopSec, restartSec] = w.restartDockerd(3);
    int ready = 0;
    for (const QString &uuid : runs) {
        const QJsonObject b = waitForState(*w.client, uuid, Final, 90000);
        INFO(QJsonDocument(b).toJson().toStdString());
        CHECK(state(b) == QLatin1String("ready"));
        CHECK(readBundleFile(*w.client, uuid, QStringLiteral("stdout")) == "finished\n");
        ready += state(b) == QLatin1String("ready") ? 1 : 0;
    }
    std::printf("dockerd: live-restore: stopping took %.1f s, answering again after %.1f s; %d of %d runs "
                "carried on and ended ready\n",
        stopSec, restartSec, ready, int(runs.size()));
}

TEST_CASE("the Engine's event stream splits into its events", "[docker][events]")
{
    // As dockerd 20.10 sent them while it stopped a container on its way down (attributes shortened).
    const QByteArray stream
        = R"({"status":"kill","id":"42e5","Type":"container","Action":"kill","Actor":{"ID":"42e5","Attributes":{"name":"t1","signal":"15"}},"time":1795841897}
{"status":"kill","id":"42e5","Type":"container","Action":"kill","Actor":{"ID":"42e5","Attributes":{"name":"t1","signal":"9"}},"time":1795841907}
{"status":"die","id":"42e5","Type":"container","Action":"die","Actor":{"ID":"42e5","Attributes":{"exitCode":"137","name":"t1"}},"time":1795841907}
)";
    const QList<QJsonObject> events = docker::DockerClient::parseEvents(stream);
    REQUIRE(events.size() == 3);
    CHECK(events[0]
              .value(QLatin1String("Actor"))
              .toObject()
              .value(QLatin1String("Attributes"))
              .toObject()
              .value(QLatin1String("signal"))
        == QLatin1String("15"));
    CHECK(events[2].value(QLatin1String("Action")) == QLatin1String("die"));
    // A chunk boundary never leaves half an object behind: the answer is parsed once it is whole. Blank and
    // broken lines are skipped rather than failing the lot.
    CHECK(docker::DockerClient::parseEvents("\n{\"Action\":\"kill\"}\n{broken\n").size() == 1);
    CHECK(docker::DockerClient::parseEvents({}).isEmpty());
}
