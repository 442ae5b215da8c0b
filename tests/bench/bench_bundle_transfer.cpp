// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark of the desktop's uploads and saves (issue #14): a --megabytes MiB folder (half random data, half
// log-like text) uploaded by server::BundleUpload (packed on the fly, chunked) to a codalab-local-server in
// its own process, against `tar czf` of the same folder; and saved back by server::ContentsDownload
// (downloaded, unpacked by SafeArchive), against `tar xzf` of tar's archive. Both measured in the same run;
// prints MB/s and the ratios, never fails on time.
//
//   bench_bundle_transfer [--megabytes N]
#define CATCH_CONFIG_RUNNER
#include "localserver/serverprocess.h"
#include "server/bundleupload.h"
#include "server/contentsdownload.h"
#include "support/clientsession.h"
#include "support/codalabtestdata.h"
#include "support/testfiles.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <catch2/catch.hpp>
#include <cstdio>

using namespace codalab;

namespace {

int megabytes = 300;

double runTar(const QStringList &arguments)
{
    QProcess tar;
    tar.setProcessChannelMode(QProcess::ForwardedChannels);
    QElapsedTimer t;
    t.start();
    tar.start(QStringLiteral("tar"), arguments);
    REQUIRE(tar.waitForFinished(1800000));
    REQUIRE(tar.exitCode() == 0);
    return double(t.nsecsElapsed()) / 1e9;
}

} // namespace

TEST_CASE("uploads and saves against tar czf and tar xzf", "[bench]")
{
    QTemporaryDir work;
    const QString src = work.filePath(QStringLiteral("folder"));
    const qint64 bytes = test::makeRunDirectory(src, megabytes);
    const double mb = double(bytes) / 1e6;
    QProcess::execute(QStringLiteral("sync"), {});
    test::ServerProcess server(work.filePath(QStringLiteral("server")));
    server.start();
    test::HttpTestClient http(server.url());
    http.login(QStringLiteral("codalab"), server.password());
    const QString worksheet = test::homeWorksheet(http);
    test::ClientSession s(server.url().toString(), QStringLiteral("codalab"), server.password(),
        server::TokenManager::Mode::Relogin);

    const QString archive = work.filePath(QStringLiteral("tar.tar.gz"));
    const double tarPack
        = runTar({ QStringLiteral("czf"), archive, QStringLiteral("-C"), src, QStringLiteral(".") });
    QDir().mkpath(work.filePath(QStringLiteral("untar")));
    const double tarUnpack = runTar(
        { QStringLiteral("xzf"), archive, QStringLiteral("-C"), work.filePath(QStringLiteral("untar")) });

    QElapsedTimer t;
    t.start();
    server::UploadRequest request;
    request.paths = { src };
    request.worksheetUuid = worksheet;
    auto *upload = new server::BundleUpload(&s.connection, request);
    QSignalSpy uploaded(upload, &server::BundleUpload::finished);
    upload->start();
    REQUIRE(uploaded.wait(1800000));
    const server::UploadResult result = uploaded.first().first().value<server::UploadResult>();
    REQUIRE(result.ok);
    const double up = double(t.nsecsElapsed()) / 1e9;

    t.restart();
    util::ArchiveLimits limits;
    limits.maxBytes = bytes * 2;
    auto *download = new server::ContentsDownload(
        &s.connection, result.bundleUuid, {}, work.filePath(QStringLiteral("saved")), limits, nullptr);
    QSignalSpy saved(download, &server::ContentsDownload::finished);
    download->start();
    REQUIRE(saved.wait(1800000));
    REQUIRE_FALSE(saved.first().first().value<server::ApiError>().isError());
    const double down = double(t.nsecsElapsed()) / 1e9;

    std::printf("Uploads and saves of a %.1f MB folder (half random, half text) to codalab-local-server on "
                "127.0.0.1:\n",
        mb);
    std::printf("  tar czf FILE            %6.2f s  %6.1f MB/s  (archive %.1f MB)\n", tarPack, mb / tarPack,
        double(QFileInfo(archive).size()) / 1e6);
    std::printf("  BundleUpload            %6.2f s  %6.1f MB/s  (packed, sent and unpacked by the server)\n",
        up, mb / up);
    std::printf("  ratio upload/tar czf    %.2f (MB/s)\n", tarPack / up);
    std::printf("  tar xzf FILE            %6.2f s  %6.1f MB/s\n", tarUnpack, mb / tarUnpack);
    std::printf(
        "  ContentsDownload        %6.2f s  %6.1f MB/s  (packed by the server, received and unpacked)\n",
        down, mb / down);
    std::printf("  ratio save/tar xzf      %.2f (MB/s)\n", tarUnpack / down);
    std::fflush(stdout);
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (!qEnvironmentVariableIsSet("QT_LOGGING_RULES")) {
        QLoggingCategory::setFilterRules(QStringLiteral("codalab.*.info=false"));
    }
    Catch::Session session;
    using namespace Catch::clara;
    session.cli(
        session.cli() | Opt(megabytes, "N")["--megabytes"]("size of the folder in MiB (default 300)"));
    if (const int rc = session.applyCommandLine(argc, argv); rc != 0) {
        return rc;
    }
    return session.run();
}
