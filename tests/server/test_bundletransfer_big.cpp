// SPDX-License-Identifier: GPL-3.0-or-later
// A 1 GiB folder up (BundleUpload, packed on the fly) and back down (ContentsDownload, unpacked by
// SafeArchive) between this process and a codalab-local-server process, with the memory of both measured:
// neither holds the data, whatever its size.
#include "localserver/serverprocess.h"
#include "server/bundleupload.h"
#include "server/contentsdownload.h"
#include "support/clientsession.h"
#include "support/codalabtestdata.h"
#include "support/procstatus.h"
#include "support/sanitizers.h"
#include "support/testfiles.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::server;

namespace {

constexpr qint64 MiB = 1024 * 1024;

bool resetOwnPeak()
{
    QFile refs(QStringLiteral("/proc/self/clear_refs"));
    return refs.open(QIODevice::WriteOnly) && refs.write("5") == 1;
}

} // namespace

TEST_CASE("a 1 GiB folder goes up and comes back with the memory of both processes bounded",
    "[server][upload][big]")
{
    QTemporaryDir work;
    // 64 files of 16 MiB of text-like lines: compressible, so the test measures the streaming, not gzip.
    const QString src = work.filePath(QStringLiteral("big"));
    QByteArray block;
    for (int i = 0; block.size() < 16 * MiB; ++i) {
        block += "sample " + QByteArray::number(i) + " features 0.125 0.250 0.500 label "
            + QByteArray::number(i % 10) + '\n';
    }
    block.truncate(16 * MiB);
    for (int i = 0; i < 64; ++i) {
        test::writeFile(src + QStringLiteral("/part-%1.txt").arg(i, 2, 10, QLatin1Char('0')), block);
    }
    test::ServerProcess server(work.filePath(QStringLiteral("server")));
    server.start();
    test::ClientSession s(server.url().toString(), QStringLiteral("codalab"), server.password());
    test::HttpTestClient http(server.url());
    http.setToken({});
    http.login(QStringLiteral("codalab"), server.password());
    // (The session logs in with the same client id lazily, later: the HTTP client is done with its token
    // then.)
    const QString worksheet = test::homeWorksheet(http);

    server.resetPeak();
    const qint64 serverBefore = server.rssKiB();
    const bool ownPeak = resetOwnPeak();
    const qint64 ownBefore = test::procStatusKiB(0, "VmRSS:");
    QElapsedTimer timer;
    timer.start();
    UploadRequest request;
    request.paths = { src };
    request.worksheetUuid = worksheet;
    auto *upload = new BundleUpload(&s.connection, request);
    QSignalSpy uploaded(upload, &BundleUpload::finished);
    upload->start();
    REQUIRE(uploaded.wait(300000));
    const UploadResult result = uploaded.first().first().value<UploadResult>();
    INFO(result.error.toStdString());
    REQUIRE(result.ok);
    const double upSeconds = timer.elapsed() / 1000.0;
    const qint64 ownUpGrowth = test::procStatusKiB(0, "VmHWM:") - ownBefore;
    const qint64 serverUpGrowth = server.peakKiB() - serverBefore;

    timer.restart();
    const QString back = work.filePath(QStringLiteral("back"));
    util::ArchiveLimits limits;
    limits.maxBytes = qint64(2) << 30;
    auto *download = new ContentsDownload(&s.connection, result.bundleUuid, {}, back, limits, nullptr);
    QSignalSpy downloaded(download, &ContentsDownload::finished);
    download->start();
    REQUIRE(downloaded.wait(300000));
    REQUIRE_FALSE(downloaded.first().first().value<ApiError>().isError());
    const double downSeconds = timer.elapsed() / 1000.0;
    const qint64 ownGrowth = test::procStatusKiB(0, "VmHWM:") - ownBefore;
    const qint64 serverGrowth = server.peakKiB() - serverBefore;
    std::printf("1 GiB folder: up %.1f s, down %.1f s; this process's RSS peak +%.1f MiB (+%.1f MiB by the "
                "upload), the server's +%.1f MiB (+%.1f MiB by the upload)\n",
        upSeconds, downSeconds, ownGrowth / 1024.0, ownUpGrowth / 1024.0, serverGrowth / 1024.0,
        serverUpGrowth / 1024.0);
    for (int i : { 0, 33, 63 }) {
        QFile part(back + QStringLiteral("/part-%1.txt").arg(i, 2, 10, QLatin1Char('0')));
        REQUIRE(part.open(QIODevice::ReadOnly));
        CHECK(part.size() == 16 * MiB);
        CHECK(part.readAll() == block);
    }
    if (!test::UnderAddressSanitizer) {
        if (ownPeak) {
            CHECK(ownGrowth < 48 * 1024);
        }
        CHECK(serverGrowth < 48 * 1024);
    }
}
