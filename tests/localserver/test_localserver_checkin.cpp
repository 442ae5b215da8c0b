// SPDX-License-Identifier: GPL-3.0-or-later
// The check-in long poll: answered at once when a message is queued, and when the worker in the same process
// wakes it.
#include "scriptedworker.h"

using namespace codalab::test;

TEST_CASE("a waiting check-in is answered as soon as a run is queued for it", "[localserver][workers]")
{
    LocalServerFixture f([](codalab::localserver::LocalServerConfig &c) { c.checkinWaitMs = 20000; });
    auto user = f.root();
    ScriptedWorker worker(f, QStringLiteral("w3"));
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(f.server->url() + QStringLiteral("/rest/workers/w3/checkin")));
    request.setRawHeader("Authorization", "Bearer " + worker.http().token().toLatin1());
    request.setRawHeader("X-Requested-With", "XMLHttpRequest");
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *poll = nam.post(request, QJsonDocument(worker.body({})).toJson());
    QTest::qWait(300);
    CHECK_FALSE(poll->isFinished()); // nothing to say yet: the check-in waits
    const QString uuid = createRun(*user, QStringLiteral("quick"));
    REQUIRE(QTest::qWaitFor([poll] { return poll->isFinished(); }, 10000)); // far less than the 20 s wait
    const QJsonArray answer = QJsonDocument::fromJson(poll->readAll()).array();
    REQUIRE(answer.size() == 1);
    CHECK(answer.first().toObject()[QLatin1String("bundle")].toObject()[QLatin1String("uuid")].toString()
        == uuid);
    poll->deleteLater();
}

TEST_CASE("a wake answers the waiting check-in, or the next one when none waits", "[localserver][workers]")
{
    // codalab-worker --local wakes its embedded server when a run changes stage, so the news is not held up
    // by a poll sent before it.
    LocalServerFixture f([](codalab::localserver::LocalServerConfig &c) { c.checkinWaitMs = 20000; });
    ScriptedWorker worker(f, QStringLiteral("w-wake"));
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(f.server->url() + QStringLiteral("/rest/workers/w-wake/checkin")));
    request.setRawHeader("Authorization", "Bearer " + worker.http().token().toLatin1());
    request.setRawHeader("X-Requested-With", "XMLHttpRequest");
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *poll = nam.post(request, QJsonDocument(worker.body({})).toJson());
    QTest::qWait(300);
    REQUIRE_FALSE(poll->isFinished());
    f.server->workerHub()->wake(QStringLiteral("w-wake"));
    REQUIRE(QTest::qWaitFor([poll] { return poll->isFinished(); }, 5000)); // not the 20 s poll
    CHECK(QJsonDocument::fromJson(poll->readAll()).array() == QJsonArray { QJsonValue() });
    poll->deleteLater();

    // No poll waiting: the wake is kept for the next check-in, which is answered at once.
    f.server->workerHub()->wake(QStringLiteral("w-wake"));
    QElapsedTimer timer;
    timer.start();
    CHECK(worker.checkin().isEmpty());
    CHECK(timer.elapsed() < 10000); // answered at once, not after the 20 s poll
}
