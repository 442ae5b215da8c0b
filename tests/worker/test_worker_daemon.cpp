// SPDX-License-Identifier: GPL-3.0-or-later
// The codalab-worker executable: flags and exit codes, the control commands, and a kill -9 mid-run after
// which a restarted daemon reattaches to its container and finishes the run.
#include "support/codalabtestdata.h"
#include "worker/run.h"
#include "worker/workerharness.h"
#include "worker/workerprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>
#include <sys/stat.h>

using namespace codalab;
using namespace codalab::test;

TEST_CASE("bad flags, a bad password file and an unreachable server give clear messages and exit codes",
    "[worker][daemon]")
{
    WorkerOutcome o = runWorker({ QStringLiteral("--slots"), QStringLiteral("0") });
    CHECK(o.exitCode == 2);
    CHECK(o.err.contains("--slots"));
    o = runWorker({ QStringLiteral("--tag"), QStringLiteral("no spaces") });
    CHECK(o.exitCode == 2);
    CHECK(o.err.contains("--tag"));
    o = runWorker({ QStringLiteral("--max-memory"), QStringLiteral("lots") });
    CHECK(o.exitCode == 2);
    o = runWorker({ QStringLiteral("--bogus") });
    CHECK(o.exitCode == 2);

    QTemporaryDir dir;
    const QString open = dir.filePath(QStringLiteral("password"));
    QFile file(open);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write("codalab\nsecret\n");
    file.close();
    ::chmod(QFile::encodeName(open).constData(), 0644);
    o = runWorker(
        { QStringLiteral("--server"), QStringLiteral("http://127.0.0.1:9"), QStringLiteral("--password-file"),
            open, QStringLiteral("--work-dir"), dir.filePath(QStringLiteral("w")) });
    CHECK(o.exitCode == 1);
    CHECK(o.err.contains("chmod 600"));

    ::chmod(QFile::encodeName(open).constData(), 0600);
    o = runWorker({ QStringLiteral("--server"), QStringLiteral("http://127.0.0.1:%1").arg(freePort()),
        QStringLiteral("--password-file"), open, QStringLiteral("--work-dir"),
        dir.filePath(QStringLiteral("w")) });
    CHECK(o.exitCode == 4);
    CHECK(o.err.contains("cannot reach the CodaLab server"));

    LocalServerFixture f;
    o = runWorker({ QStringLiteral("--server"), f.server->url(), QStringLiteral("--password-file"), open,
        QStringLiteral("--work-dir"), dir.filePath(QStringLiteral("w")) });
    CHECK(o.exitCode == 1);
    CHECK(o.err.contains("Cannot log into the bundle service"));
}

TEST_CASE("after kill -9 of the daemon mid-run a restart reattaches and the run finishes",
    "[worker][daemon][recovery]")
{
    LocalServerFixture f([](localserver::LocalServerConfig &c) { c.checkinWaitMs = 1000; });
    QTemporaryDir dir;
    const QString socket = dir.filePath(QStringLiteral("control.sock"));
    WorkerDaemon d;
    d.arguments = { QStringLiteral("--server"), f.server->url(), QStringLiteral("--password-file"),
        f.server->passwordFile(), QStringLiteral("--work-dir"), dir.filePath(QStringLiteral("work")),
        QStringLiteral("--id"), QStringLiteral("daemon-1"), QStringLiteral("--no-network"),
        QStringLiteral("--control-socket"), socket };
    d.start();
    auto client = f.root();
    const QString uuid = submitRun(*client, QStringLiteral("echo begun; sleep 6; echo done"));
    waitForState(*client, uuid, { QStringLiteral("running") });
    REQUIRE(waitUntil(
        [&] { return readBundleFile(*client, uuid, QStringLiteral("stdout")) == "begun\n"; }, 20000));

    // The control socket answers from a shell, and only its owner may open it.
    struct stat st = {};
    REQUIRE(::stat(QFile::encodeName(socket).constData(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    WorkerOutcome status = runWorker(
        { QStringLiteral("--control-socket"), socket, QStringLiteral("status"), QStringLiteral("--json") });
    REQUIRE(status.exitCode == 0);
    const QJsonObject s = QJsonDocument::fromJson(status.out).object();
    CHECK(s.value(QLatin1String("worker_id")).toString() == QLatin1String("daemon-1"));
    CHECK(s.value(QLatin1String("runs")).toArray().first().toObject().value(QLatin1String("uuid")).toString()
        == uuid);
    status = runWorker({ QStringLiteral("--control-socket"), socket, QStringLiteral("status") });
    CHECK(status.out.contains(QByteArray("Run ").append(uuid.toUtf8())));

    d.process->kill(); // SIGKILL: no chance to clean up
    d.process->waitForFinished();
    d.start();
    const QJsonObject b
        = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") }, 60000);
    INFO(QJsonDocument(b).toJson().toStdString());
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("ready"));
    CHECK(readBundleFile(*client, uuid, QStringLiteral("stdout")) == "begun\ndone\n");

    CHECK(runWorker({ QStringLiteral("--control-socket"), socket, QStringLiteral("pause") }).exitCode == 0);
    status = runWorker(
        { QStringLiteral("--control-socket"), socket, QStringLiteral("status"), QStringLiteral("--json") });
    CHECK(QJsonDocument::fromJson(status.out).object().value(QLatin1String("availability")).toString()
        == QLatin1String("paused"));
    d.process->terminate(); // SIGTERM: a clean stop
    REQUIRE(waitUntil([&] { return d.process->state() == QProcess::NotRunning; }, 20000));
    CHECK(d.process->exitCode() == 0);
    CHECK(runWorker({ QStringLiteral("--control-socket"), socket, QStringLiteral("status") }).exitCode == 3);
}

TEST_CASE("a local worker on the server's file system runs in the bundle directory with no transfers",
    "[worker][local]")
{
    LocalServerFixture f;
    WorkerHarness h(f, [](worker::WorkerConfig &c) { c.sharedFileSystem = true; });
    h.start();
    auto client = f.root();
    const QString data
        = createDataset(*client, QStringLiteral("words"), QStringLiteral("words.txt"), "shared\n");
    const QString uuid = submitRun(
        *client, QStringLiteral("cat in; echo out > result"), {}, { dependency(QStringLiteral("in"), data) });
    const QJsonObject b = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") });
    INFO(QJsonDocument(b).toJson().toStdString());
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("ready"));
    CHECK(readBundleFile(*client, uuid, QStringLiteral("stdout")) == "shared\n");
    CHECK(readBundleFile(*client, uuid, QStringLiteral("result")) == "out\n");
    CHECK(QDir(h.config.workDir + QStringLiteral("/dependencies"))
              .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
              .isEmpty());
}

TEST_CASE("codalab-worker --local serves its embedded server and submit follows a run to ready",
    "[worker][daemon][local]")
{
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("server"));
    WorkerDaemon d;
    d.arguments = { QStringLiteral("--local"), QStringLiteral("--local-data-dir"), data,
        QStringLiteral("--work-dir"), dir.filePath(QStringLiteral("work")), QStringLiteral("--id"),
        QStringLiteral("local-1"), QStringLiteral("--no-network"), QStringLiteral("--control-socket"),
        dir.filePath(QStringLiteral("control.sock")) };
    d.start();
    REQUIRE(waitUntil([&] { return QFile::exists(dir.filePath(QStringLiteral("control.sock"))); }, 30000));
    const WorkerOutcome submitted
        = runWorker({ QStringLiteral("--local-data-dir"), data, QStringLiteral("submit"),
                        QStringLiteral("--request-docker-image"), testImage(),
                        QStringLiteral("echo local hello; echo to stderr >&2") },
            60000);
    INFO(submitted.err.toStdString());
    CHECK(submitted.exitCode == 0);
    CHECK(submitted.out.contains("local hello\n"));
    CHECK(submitted.out.contains("Submitted run 0x"));
    CHECK(submitted.err.contains("to stderr"));
    CHECK(submitted.err.contains("[run is ready]"));
    // `stop` from a shell: the daemon, and its embedded server with it, leaves cleanly.
    CHECK(runWorker({ QStringLiteral("--control-socket"), dir.filePath(QStringLiteral("control.sock")),
                        QStringLiteral("stop") })
              .exitCode
        == 0);
    REQUIRE(waitUntil([&] { return d.process->state() == QProcess::NotRunning; }, 30000));
    CHECK(d.process->exitCode() == 0);
}
