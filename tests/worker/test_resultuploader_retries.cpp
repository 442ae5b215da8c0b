// SPDX-License-Identifier: GPL-3.0-or-later
// ResultUploader against scripted servers, for what a real one will not do on demand: 5xx bursts, 4xx, a
// closed port, a silent server, and a stalled one to cancel an upload against.
#include "worker/resultuploader.h"
#include "worker/scriptedserver.h"
#include "worker/uploadtestsupport.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QThreadPool>

#include <catch2/catch.hpp>
#include <memory>

using namespace codalab;
using namespace codalab::test;
using codalab::server::ApiError;
using codalab::worker::ResultUploader;

TEST_CASE(
    "server errors are retried with a doubling pause and the whole archive each time", "[worker][upload]")
{
    ScriptedServer server({ { 500, "database is locked" }, { 503, "busy" }, { 200, "{}" } });
    REQUIRE(server.listen());
    UploadClient client(server.url());
    UploadRunDir run;
    ResultUploader uploader(&client.connection, UploadUuid, run.path, Excludes, QStringLiteral("fast-disk"));
    uploader.setRetryPolicy(5, 10, 15);
    QSignalSpy failed(&uploader, &ResultUploader::attemptFailed);
    QSignalSpy finished(&uploader, &ResultUploader::finished);
    uploader.start();
    REQUIRE(finished.wait(30000));
    CHECK_FALSE(finishedError(finished));
    CHECK(uploader.attempts() == 3);
    REQUIRE(failed.size() == 2);
    CHECK(failed[0][0].value<ApiError>().kind == ApiError::Kind::Server);
    CHECK(failed[0][0].value<ApiError>().message == QLatin1String("database is locked"));
    CHECK(failed[0][1].toInt() == 1);
    CHECK(failed[0][2].toInt() == 10);
    CHECK(failed[1][0].value<ApiError>().httpStatus == 503);
    CHECK(failed[1][1].toInt() == 2);
    CHECK(failed[1][2].toInt() == 15); // doubled, and capped at maxDelayMs
    REQUIRE(server.requests.size() == 3);
    const ScriptedServer::Request &first = server.requests.first();
    CHECK(first.head.startsWith(QByteArray("PUT /rest/bundles/" + UploadUuid.toLatin1()
        + "/contents/blob/?filename=bundle.tar.gz&finalize_on_success=0&store=fast-disk HTTP/1.1\r\n")));
    CHECK(first.head.contains("\r\nAuthorization: Bearer worker-token\r\n"));
    CHECK(first.head.contains("\r\nX-Requested-With: XMLHttpRequest\r\n"));
    CHECK(first.bodySize == uploader.archiveSize());
    for (const ScriptedServer::Request &r : std::as_const(server.requests)) {
        CHECK(r.body == first.body); // each retry sends the archive again from its start
    }
    CHECK(archiveTree(first.body) == ExpectedTree);
    CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") });
}

TEST_CASE("a 4xx is final at once, with the server's message", "[worker][upload]")
{
    ScriptedServer server({ { 400, "Disk quota exceeded for user codalab" } });
    REQUIRE(server.listen());
    UploadClient client(server.url());
    UploadRunDir run;
    ResultUploader uploader(&client.connection, UploadUuid, run.path, Excludes, QString());
    uploader.setRetryPolicy(5, 10, 100);
    QSignalSpy failed(&uploader, &ResultUploader::attemptFailed);
    QSignalSpy finished(&uploader, &ResultUploader::finished);
    uploader.start();
    REQUIRE(finished.wait(30000));
    const ApiError error = finishedError(finished);
    CHECK(error.kind == ApiError::Kind::Client);
    CHECK(error.httpStatus == 400);
    CHECK(error.message == QLatin1String("Disk quota exceeded for user codalab"));
    CHECK(uploader.attempts() == 1);
    CHECK(failed.isEmpty());
    CHECK(server.requests.size() == 1);
    CHECK(server.requests.first().head.contains("&store= HTTP/1.1")); // no store: an empty one
    CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") });
}

TEST_CASE("an unreachable server is retried until it appears, or until maxAttempts", "[worker][upload]")
{
    quint16 port = 0;
    {
        QTcpServer probe; // a port that was free a moment ago and is closed now
        REQUIRE(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    UploadClient client(QStringLiteral("http://127.0.0.1:%1").arg(port));
    UploadRunDir run;

    SECTION("the server comes up")
    {
        ResultUploader uploader(&client.connection, UploadUuid, run.path, Excludes, QString());
        uploader.setRetryPolicy(1000, 10, 40);
        QSignalSpy failed(&uploader, &ResultUploader::attemptFailed);
        QSignalSpy finished(&uploader, &ResultUploader::finished);
        uploader.start();
        REQUIRE(QTest::qWaitFor([&] { return failed.size() >= 2; }, 30000));
        CHECK(failed.first().first().value<ApiError>().kind == ApiError::Kind::Network);
        CHECK(finished.isEmpty());
        ScriptedServer server({ { 200, "{}" } });
        REQUIRE(server.listen(port));
        REQUIRE(finished.wait(30000));
        CHECK_FALSE(finishedError(finished));
        CHECK(uploader.attempts() == failed.size() + 1);
        REQUIRE(server.requests.size() == 1);
        CHECK(archiveTree(server.requests.first().body) == ExpectedTree);
    }
    SECTION("it does not, and the uploader gives up")
    {
        ResultUploader uploader(&client.connection, UploadUuid, run.path, Excludes, QString());
        uploader.setRetryPolicy(3, 5, 10);
        QSignalSpy failed(&uploader, &ResultUploader::attemptFailed);
        QSignalSpy finished(&uploader, &ResultUploader::finished);
        uploader.start();
        REQUIRE(finished.wait(30000));
        CHECK(finishedError(finished).kind == ApiError::Kind::Network);
        CHECK(uploader.attempts() == 3);
        CHECK(failed.size() == 2);
    }
    CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") });
}

TEST_CASE("a server that never answers times out, and that is retried", "[worker][upload]")
{
    ScriptedServer server({ { 200, "{}", false, true } });
    REQUIRE(server.listen());
    UploadClient client(server.url());
    UploadRunDir run;
    ResultUploader uploader(&client.connection, UploadUuid, run.path, Excludes, QString());
    uploader.setRetryPolicy(2, 10, 10);
    uploader.setTransferTimeoutMs(300);
    QSignalSpy failed(&uploader, &ResultUploader::attemptFailed);
    QSignalSpy finished(&uploader, &ResultUploader::finished);
    uploader.start();
    REQUIRE(finished.wait(30000));
    CHECK(finishedError(finished).kind == ApiError::Kind::Timeout);
    REQUIRE(failed.size() == 1);
    CHECK(failed.first().first().value<ApiError>().kind == ApiError::Kind::Timeout);
    CHECK(server.requests.size() == 2);
}

TEST_CASE("a cancelled upload stops, emits nothing more and leaves nothing behind", "[worker][upload]")
{
    ScriptedServer server({ { 200, "{}", true } }); // reads the head, then lets the body back up
    REQUIRE(server.listen());
    UploadClient client(server.url());
    UploadRunDir run;
    writeFile(run.path + QStringLiteral("/weights.bin"), randomBytes(32 << 20));

    SECTION("while sending")
    {
        ResultUploader uploader(&client.connection, UploadUuid, run.path, Excludes, QString());
        QSignalSpy progress(&uploader, &ResultUploader::progress);
        QSignalSpy finished(&uploader, &ResultUploader::finished);
        QSignalSpy failed(&uploader, &ResultUploader::attemptFailed);
        uploader.start();
        REQUIRE(QTest::qWaitFor([&] { return uploader.bytesSent() > 0; }, 60000));
        CHECK(uploader.bytesSent() < uploader.archiveSize()); // mid-body
        uploader.cancel();
        CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") });
        REQUIRE(QTest::qWaitFor([&] { return server.disconnects == 1; }, 10000)); // the connection closed
        QTest::qWait(100);
        CHECK(finished.isEmpty());
        CHECK(failed.isEmpty());
        uploader.cancel(); // twice is harmless
    }
    SECTION("while packing, or by deleting the uploader")
    {
        for (int round = 0; round < 2; ++round) {
            auto uploader = std::make_unique<ResultUploader>(
                &client.connection, UploadUuid, run.path, Excludes, QString());
            QSignalSpy finished(uploader.get(), &ResultUploader::finished);
            uploader->start();
            if (round == 0) {
                uploader->cancel();
            } else {
                uploader.reset();
            }
            QThreadPool::globalInstance()->waitForDone(); // packing stops early and removes its file
            QTest::qWait(50);
            CHECK(finished.isEmpty());
            CHECK(run.leftovers() == QStringList { QStringLiteral("0xrun") });
        }
        CHECK(server.requests.isEmpty());
    }
}
