// SPDX-License-Identifier: GPL-3.0-or-later
// ResultUploader against codalab-local-server, with bad input, and with a large run directory (against a
// scripted server that keeps no bodies). Retries, final errors, timeouts and cancellation against scripted
// servers are in test_resultuploader_retries.cpp.
#include "localserver/localserverfixture.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "support/codalabtestdata.h"
#include "support/sanitizers.h"
#include "util/safearchive.h"
#include "worker/resultuploader.h"
#include "worker/scriptedserver.h"
#include "worker/uploadtestsupport.h"

#include <QBuffer>
#include <QDir>
#include <QJsonArray>
#include <QMap>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTimer>

#include <catch2/catch.hpp>
#include <cstdio>

using namespace codalab;
using namespace codalab::test;
using codalab::server::ApiError;
using codalab::worker::ResultUploader;

TEST_CASE("a run directory uploads to codalab-local-server as the bundle's contents", "[worker][upload]")
{
    test::LocalServerFixture f;
    auto user = f.root();
    const QString uuid = test::createDataset(*user, QStringLiteral("results"));
    UploadClient client(f.server->url(), QStringLiteral("codalab"), f.password);
    UploadRunDir run;
    writeFile(run.parent.filePath(QStringLiteral(".0xrun.upload-Ab12Cd")), "left by a killed worker");

    ResultUploader uploader(&client.connection, uuid, run.path, Excludes, QString());
    QSignalSpy finished(&uploader, &ResultUploader::finished);
    QSignalSpy progress(&uploader, &ResultUploader::progress);
    uploader.start();
    REQUIRE(finished.wait(60000));
    const ApiError result = finishedError(finished);
    INFO(result.message.toStdString());
    REQUIRE_FALSE(result);
    CHECK(uploader.attempts() == 1);
    CHECK(uploader.archiveSize() > 0);
    CHECK(uploader.bytesSent() == uploader.archiveSize());
    REQUIRE_FALSE(progress.isEmpty());
    CHECK(progress.last().first().toLongLong() == uploader.archiveSize());
    CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") }); // packed archives are gone

    const test::HttpResult info
        = user->get(QStringLiteral("/rest/bundles/%1/contents/info/?depth=10").arg(uuid));
    REQUIRE(info.status == 200);
    QMap<QString, QString> tree;
    collectTree(info.json.object()[QLatin1String("data")].toObject()[QLatin1String("contents")].toArray(),
        QString(), &tree);
    CHECK(tree == ExpectedTree);
    CHECK(user->get(QStringLiteral("/rest/bundles/%1/contents/blob/data/nested/deep/b.bin").arg(uuid)).body
        == readFile(run.path + QStringLiteral("/data/nested/deep/b.bin")));
    CHECK(user->get(QStringLiteral("/rest/bundles/%1/contents/blob/stdout").arg(uuid)).body == "hello\n");
    // finalize_on_success=0: the contents changed, the state did not.
    const test::HttpResult bundle = user->get(QStringLiteral("/rest/bundles/%1").arg(uuid));
    CHECK(bundle.json.object()[QLatin1String("data")]
              .toObject()[QLatin1String("attributes")]
              .toObject()[QLatin1String("state")]
              .toString()
        != QLatin1String("ready"));
}

TEST_CASE(
    "an upload whose token the account's other workers keep revoking still gets through", "[worker][upload]")
{
    test::LocalServerFixture f;
    auto user = f.root();
    const QString uuid = test::createDataset(*user, QStringLiteral("results"));
    UploadClient client(f.server->url(), QStringLiteral("codalab"), f.password);
    // Each of the first three tokens this worker gets is revoked at once by another worker's login (one
    // token per client and user, as upstream's server keeps them).
    test::HttpTestClient other(QUrl(f.server->url()));
    int revoked = 0;
    QObject::connect(&client.tokens, &server::TokenManager::tokenChanged, [&] {
        if (revoked < 3) {
            ++revoked;
            other.passwordGrant(
                QStringLiteral("codalab_worker_client"), QStringLiteral("codalab"), f.password);
        }
    });
    UploadRunDir run;
    ResultUploader uploader(&client.connection, uuid, run.path, Excludes, QString());
    QSignalSpy finished(&uploader, &ResultUploader::finished);
    uploader.start();
    REQUIRE(finished.wait(60000));
    const ApiError result = finishedError(finished);
    INFO(result.message.toStdString());
    CHECK_FALSE(result);
    CHECK(revoked == 3);
    CHECK(uploader.attempts() == 4);
}

TEST_CASE("codalab-local-server takes a chunked upload, as upstream's worker sends it", "[worker][upload]")
{
    test::LocalServerFixture f;
    auto user = f.root();
    const QString uuid = test::createDataset(*user, QStringLiteral("chunked"));
    UploadRunDir run;
    QBuffer archive;
    archive.open(QIODevice::WriteOnly);
    REQUIRE(util::SafeArchive::create(run.path, &archive, Excludes).ok);
    QByteArray request = "PUT /rest/bundles/" + uuid.toLatin1()
        + "/contents/blob/?filename=bundle.tar.gz&finalize_on_success=0&store= HTTP/1.1\r\nHost: "
          "127.0.0.1\r\n"
          "Authorization: Bearer "
        + user->token().toLatin1()
        + "\r\nX-Requested-With: XMLHttpRequest\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    const QByteArray &body = archive.data();
    for (qsizetype at = 0; at < body.size(); at += 16384) { // upstream's 16 KiB chunks
        const QByteArray chunk = body.mid(at, 16384);
        request += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    }
    request += "0\r\n\r\n";
    const QByteArray answer = user->raw(request);
    INFO(answer.left(500).toStdString());
    REQUIRE(answer.startsWith("HTTP/1.1 200"));
    const test::HttpResult info
        = user->get(QStringLiteral("/rest/bundles/%1/contents/info/?depth=10").arg(uuid));
    QMap<QString, QString> tree;
    collectTree(info.json.object()[QLatin1String("data")].toObject()[QLatin1String("contents")].toArray(),
        QString(), &tree);
    CHECK(tree == ExpectedTree);
}

TEST_CASE("bad input fails the upload with a clear message", "[worker][upload]")
{
    UploadClient client(QStringLiteral("http://127.0.0.1:9"));
    UploadRunDir run;
    const auto outcome = [](ResultUploader &uploader) {
        QSignalSpy finished(&uploader, &ResultUploader::finished);
        uploader.start();
        REQUIRE(finished.wait(30000));
        CHECK(uploader.attempts() == 0);
        return finishedError(finished);
    };
    ResultUploader missing(
        &client.connection, UploadUuid, run.path + QStringLiteral("/nothing"), {}, QString());
    ApiError error = outcome(missing);
    CHECK(error.kind == ApiError::Kind::Client);
    CHECK(error.message.contains(QLatin1String("not a directory")));
    ResultUploader badUuid(&client.connection, QStringLiteral("0xABC"), run.path, {}, QString());
    error = outcome(badUuid);
    CHECK(error.kind == ApiError::Kind::Client);
    CHECK(error.message.contains(QLatin1String("'0xABC' is not a bundle UUID")));
    QNetworkAccessManager nam;
    server::ServerConnection nowhere(&nam);
    ResultUploader noServer(&nowhere, UploadUuid, run.path, {}, QString());
    CHECK(outcome(noServer).kind == ApiError::Kind::InvalidUrl);
    CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") });
}

#ifdef CODALAB_ASAN
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace {

qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) {
        return 0;
    }
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) {
            return line.mid(6).trimmed().split(' ').first().toLongLong();
        }
    }
    return 0;
}

// What the test bounds. Under ASan the live heap: its quarantine keeps up to 256 MB of freed blocks
// resident, so the RSS of an ASan build grows with everything allocated and freed, bounded or not.
qint64 inUseKiB()
{
#ifdef CODALAB_ASAN
    return qint64(__sanitizer_get_current_allocated_bytes() / 1024);
#else
    return residentKiB();
#endif
}

} // namespace

TEST_CASE("a 200 MB run directory uploads with bounded memory", "[worker][upload][large]")
{
    ScriptedServer server({ { 200, "{}" } }, false); // counts the body and keeps none of it
    REQUIRE(server.listen());
    UploadClient client(server.url());
    QTemporaryDir parent;
    const QString dir = parent.filePath(QStringLiteral("run"));
    for (int i = 0; i < 4; ++i) { // 100 MB that gzip cannot shrink
        QFile file(dir + QStringLiteral("/random%1.bin").arg(i));
        REQUIRE(QDir().mkpath(dir));
        REQUIRE(file.open(QIODevice::WriteOnly));
        for (int mb = 0; mb < 25; ++mb) {
            REQUIRE(file.write(randomBytes(1 << 20)) == 1 << 20);
        }
    }
    QFile sparse(dir + QStringLiteral("/sparse.bin")); // and 100 MB of holes
    REQUIRE(sparse.open(QIODevice::WriteOnly));
    REQUIRE(sparse.resize(qint64(100) << 20));
    sparse.close();

    ResultUploader uploader(&client.connection, UploadUuid, dir, {}, QString());
    QSignalSpy finished(&uploader, &ResultUploader::finished);
    const qint64 rssBefore = residentKiB();
    const qint64 inUseBefore = inUseKiB();
    qint64 rssPeak = rssBefore;
    qint64 inUsePeak = inUseBefore;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        rssPeak = qMax(rssPeak, residentKiB());
        inUsePeak = qMax(inUsePeak, inUseKiB());
    });
    sampler.start(5);
    uploader.start();
    REQUIRE(finished.wait(300000));
    sampler.stop();
    CHECK_FALSE(finishedError(finished));
    REQUIRE(server.requests.size() == 1);
    CHECK(server.requests.first().bodySize == uploader.archiveSize());
    CHECK(uploader.archiveSize() > qint64(100) << 20);
    std::printf("Uploaded 200 MB (archive %lld bytes): peak RSS growth %lld KiB, peak %s growth %lld KiB\n",
        static_cast<long long>(uploader.archiveSize()), static_cast<long long>(rssPeak - rssBefore),
#ifdef CODALAB_ASAN
        "live heap",
#else
        "RSS",
#endif
        static_cast<long long>(inUsePeak - inUseBefore));
    INFO("peak growth " << (inUsePeak - inUseBefore) << " KiB");
    CHECK(inUsePeak - inUseBefore < 32 * 1024); // bounded: far from the 100 MB archive
    CHECK(QDir(parent.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot)
        == QStringList { QStringLiteral("run") });
}
