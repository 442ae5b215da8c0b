// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark P3 of the worker engine (issue #5): worker::ResultUploader sending a run directory of
// --megabytes MiB (half random data, half log-like text) to a codalab-local-server in a separate process,
// against `tar czf FILE -C DIR .` of the same directory. Prints MB/s of both, their ratio and the uploader
// process's peak RSS growth; never fails on time.
//
//   bench_worker_upload [--megabytes N] [--repeat N]
//
// The server runs as its own process because Qt HttpServer 6.4 holds a request body in memory: in this
// process it would hide the uploader's own memory use. RSS growth: /proc/self/clear_refs ("5") resets VmHWM
// right before the upload, and VmHWM after it minus VmRSS before it is the peak growth; a 5 ms VmRSS
// sampler is the cross-check.
#define CATCH_CONFIG_RUNNER
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "support/codalabtestdata.h"
#include "support/procstatus.h"
#include "support/spinuntil.h"
#include "support/testfiles.h"
#include "worker/resultuploader.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <functional>

using namespace codalab;
using namespace codalab::test;

namespace {

struct Options
{
    int megabytes = 160;
    int repeat = 1;
} options;

constexpr qint64 MiB = 1024 * 1024;

/// Resets this process's VmHWM to its current RSS (Linux 4.0+); false where that is not allowed.
bool resetPeakRss()
{
    QFile file(QStringLiteral("/proc/self/clear_refs"));
    return file.open(QIODevice::WriteOnly) && file.write("5") == 1;
}

/// codalab-local-server as a process of its own, on a free port, with its data in `dataDir`.
struct ServerProcess
{
    QProcess process;
    QString url;
    QString password;

    explicit ServerProcess(const QString &dataDir)
    {
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.setStandardOutputFile(QProcess::nullDevice());
        process.start(QStringLiteral(CODALAB_LOCAL_SERVER_BIN), { QStringLiteral("--data-dir"), dataDir });
        REQUIRE(process.waitForStarted());
        QFile urlFile(dataDir + QStringLiteral("/server-url"));
        REQUIRE(codalab::test::spinUntil([&] { return urlFile.exists() && urlFile.size() > 0; }, 30000, 20));
        REQUIRE(urlFile.open(QIODevice::ReadOnly));
        url = QString::fromUtf8(urlFile.readAll()).trimmed();
        QFile passwordFile(dataDir + QStringLiteral("/codalab-password"));
        REQUIRE(passwordFile.open(QIODevice::ReadOnly));
        password = QString::fromUtf8(passwordFile.readAll()).split(QLatin1Char('\n')).value(1);
    }
    ~ServerProcess()
    {
        process.terminate();
        if (!process.waitForFinished(10000)) {
            process.kill();
            process.waitForFinished();
        }
    }
    QString pid() const { return QString::number(process.processId()); }
};

struct UploadFigures
{
    double seconds = 0;
    double packSeconds = 0; ///< until the first byte went out
    double sentSeconds = 0; ///< until the last byte went out; the server unpacks, then answers
    qint64 archiveBytes = 0;
    qint64 rssBeforeKiB = 0;
    qint64 hwmGrowthKiB = -1; ///< -1: VmHWM could not be reset
    qint64 sampledGrowthKiB = 0;
};

UploadFigures upload(const ServerProcess &server, const QString &dir)
{
    HttpTestClient client { QUrl(server.url) };
    client.login(QStringLiteral("codalab"), server.password);
    const QString uuid = createDataset(client, QStringLiteral("bench-p3"));
    QNetworkAccessManager nam;
    server::ServerConnection connection(&nam);
    QString error;
    REQUIRE(connection.setServerUrl(server.url, &error));
    server::TokenManager tokens(
        &connection, QStringLiteral("codalab_worker_client"), server::TokenManager::Mode::Relogin);
    tokens.setCredentials(QStringLiteral("codalab"), server.password);
    connection.setTokenManager(&tokens);

    worker::ResultUploader uploader(&connection, uuid, dir, {}, QString());
    UploadFigures f;
    bool finished = false;
    server::ApiError result;
    QElapsedTimer t;
    QObject::connect(&uploader, &worker::ResultUploader::progress, &uploader, [&](qint64 sent) {
        if (f.packSeconds == 0) {
            f.packSeconds = double(t.nsecsElapsed()) / 1e9;
        }
        if (sent == uploader.archiveSize()) {
            f.sentSeconds = double(t.nsecsElapsed()) / 1e9;
        }
    });
    QObject::connect(&uploader, &worker::ResultUploader::finished, &uploader, [&](const server::ApiError &e) {
        result = e;
        finished = true;
    });
    const qint64 self = 0; // this process
    f.rssBeforeKiB = codalab::test::procStatusKiB(self, "VmRSS:");
    qint64 peak = f.rssBeforeKiB;
    QTimer sampler;
    QObject::connect(
        &sampler, &QTimer::timeout, [&] { peak = qMax(peak, codalab::test::procStatusKiB(self, "VmRSS:")); });
    sampler.start(5);
    const bool hwmReset = resetPeakRss();
    t.start();
    uploader.start();
    REQUIRE(codalab::test::spinUntil([&] { return finished; }, 1800000));
    f.seconds = double(t.nsecsElapsed()) / 1e9;
    sampler.stop();
    if (hwmReset) {
        f.hwmGrowthKiB = codalab::test::procStatusKiB(self, "VmHWM:") - f.rssBeforeKiB;
    }
    f.sampledGrowthKiB = peak - f.rssBeforeKiB;
    f.archiveBytes = uploader.archiveSize();
    INFO(result.message.toStdString());
    REQUIRE_FALSE(result);
    return f;
}

/// `tar czf FILE -C DIR .` (or with `-I pigz`, gzip on every core, when `pigz`): the wall time, and the
/// archive's size in *bytes; a negative time when pigz is not installed.
double tarCzf(const QString &dir, const QString &archive, qint64 *bytes, bool pigz = false)
{
    QStringList arguments { QStringLiteral("czf"), archive, QStringLiteral("-C"), dir, QStringLiteral(".") };
    if (pigz) {
        if (QStandardPaths::findExecutable(QStringLiteral("pigz")).isEmpty()) {
            return -1;
        }
        arguments = QStringList { QStringLiteral("-I"), QStringLiteral("pigz"), QStringLiteral("-cf"),
            archive, QStringLiteral("-C"), dir, QStringLiteral(".") };
    }
    QProcess tar;
    tar.setProcessChannelMode(QProcess::ForwardedChannels);
    QElapsedTimer t;
    t.start();
    tar.start(QStringLiteral("tar"), arguments);
    REQUIRE(tar.waitForFinished(1800000));
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    REQUIRE(tar.exitCode() == 0);
    *bytes = QFileInfo(archive).size();
    QFile::remove(archive);
    return seconds;
}

} // namespace

TEST_CASE("P3: result upload throughput and memory against tar czf", "[p3]")
{
    QTemporaryDir work;
    REQUIRE(work.isValid());
    const QString dir = work.filePath(QStringLiteral("run"));
    const qint64 inputBytes = makeRunDirectory(dir, qMax(1, options.megabytes));
    QProcess::execute(QStringLiteral("sync"), {}); // no write-back of the fresh files during the timings
    ServerProcess server(work.filePath(QStringLiteral("server")));
    const double mb = double(inputBytes) / 1e6;

    std::printf(
        "P3: run directory of %.1f MB (half random checkpoints, half text logs); server in process %s; "
        "%d cores; %s\n",
        mb, qPrintable(server.pid()), QThread::idealThreadCount(),
        codalab::test::loadAverageText().constData());
    for (int i = 0; i < qMax(1, options.repeat); ++i) {
        qint64 tarBytes = 0;
        const double tar = tarCzf(dir, work.filePath(QStringLiteral("tar.tar.gz")), &tarBytes);
        qint64 pigzBytes = 0;
        const double pigz = tarCzf(dir, work.filePath(QStringLiteral("pigz.tar.gz")), &pigzBytes, true);
        const qint64 serverHwmBefore = codalab::test::procStatusKiB(server.process.processId(), "VmHWM:");
        const UploadFigures ours = upload(server, dir);
        const qint64 serverHwmAfter = codalab::test::procStatusKiB(server.process.processId(), "VmHWM:");
        std::printf("  tar czf FILE            %6.2f s  %6.1f MB/s  (archive %.1f MB: gzip -6)\n", tar,
            mb / tar, double(tarBytes) / 1e6);
        if (pigz > 0) {
            std::printf("  tar -I pigz -cf FILE    %6.2f s  %6.1f MB/s  (archive %.1f MB)\n", pigz, mb / pigz,
                double(pigzBytes) / 1e6);
        }
        std::printf(
            "  ResultUploader          %6.2f s  %6.1f MB/s  (archive %.1f MB; packing %.2f s, sending "
            "%.2f s, until the server's answer %.2f s)\n",
            ours.seconds, mb / ours.seconds, double(ours.archiveBytes) / 1e6, ours.packSeconds,
            ours.sentSeconds - ours.packSeconds, ours.seconds - ours.sentSeconds);
        std::printf("  ratio ours/tar (MB/s)   %.2f (aim >= 2.0); archive size ours/gzip -6 %.3f\n",
            tar / ours.seconds, double(ours.archiveBytes) / double(tarBytes));
        if (pigz > 0) {
            std::printf("  ratio ours/pigz (MB/s)  %.2f (aim >= 1.0)\n", pigz / ours.seconds);
        }
        std::printf("  uploader process RSS growth: peak %s (VmHWM after clear_refs), %.1f MiB sampled every "
                    "5 ms; RSS before %.1f MiB (aim < 64 MiB)\n",
            ours.hwmGrowthKiB < 0
                ? "n/a"
                : qPrintable(QStringLiteral("%1 MiB").arg(ours.hwmGrowthKiB / 1024.0, 0, 'f', 1)),
            ours.sampledGrowthKiB / 1024.0, ours.rssBeforeKiB / 1024.0);
        std::printf("  server process VmHWM %.1f -> %.1f MiB (Qt HttpServer holds the request body)\n",
            serverHwmBefore / 1024.0, serverHwmAfter / 1024.0);
        std::fflush(stdout);
    }
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (!qEnvironmentVariableIsSet("QT_LOGGING_RULES")) {
        QLoggingCategory::setFilterRules(QStringLiteral("codalab.*.info=false")); // figures, not logs
    }
    Catch::Session session;
    using namespace Catch::clara;
    session.cli(session.cli()
        | Opt(options.megabytes, "N")["--megabytes"](
            "size of the run directory in MiB (default 160; 320 for the full figure)")
        | Opt(options.repeat, "N")["--repeat"]("timings on the same directory (default 1)"));
    if (const int rc = session.applyCommandLine(argc, argv); rc != 0) {
        return rc;
    }
    return session.run();
}
