// SPDX-License-Identifier: GPL-3.0-or-later
// LogsPage follows the newest run of this computer's worker (#15 item 5): fed the worker's status (a `runs`
// array, as WorkerLink publishes it) it shows the run started last and each newer one, keeps a finished one
// until another starts, stops following once the user picks a run or the worker's log, and follows again
// on request. Run directories are temporary folders; the statuses are written here.
#include "localserver/localserverfixture.h"
#include "logs/logsource.h"
#include "logs/logspage.h"
#include "logs/logview.h"
#include "server/codalabclient.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QFile>
#include <QJsonArray>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab;
using test::spinUntil;
using ui::LogsPage;

namespace {

/// A run on this computer's worker, with its directory and a line in its stdout.
struct LocalRun
{
    QString uuid;
    double start;
    QTemporaryDir dir;

    LocalRun(const char *hex, double startTime)
        : uuid(QStringLiteral("0x") + QString::fromLatin1(hex).repeated(32 / int(qstrlen(hex))))
        , start(startTime)
    {
        QFile out(dir.filePath(QStringLiteral("stdout")));
        REQUIRE(out.open(QIODevice::WriteOnly));
        out.write("output of " + uuid.toUtf8() + '\n');
    }
    QJsonObject json(const QString &state = QStringLiteral("running")) const
    {
        return { { QStringLiteral("uuid"), uuid }, { QStringLiteral("bundle_start_time"), start },
            { QStringLiteral("run_dir"), dir.path() }, { QStringLiteral("stage"), QStringLiteral("RUNNING") },
            { QStringLiteral("state"), state } };
    }
};

QJsonObject status(const QList<QJsonObject> &runs)
{
    QJsonArray array;
    for (const QJsonObject &run : runs) {
        array.append(run);
    }
    return { { QStringLiteral("availability"), QStringLiteral("available") },
        { QStringLiteral("runs"), array } };
}

bool shows(LogsPage &page, const LocalRun &run)
{
    return page.currentRunUuid() == run.uuid && page.isShowingLocalRun()
        && spinUntil([&] { return page.stdoutView()->text().contains(run.uuid); }, 10000);
}

} // namespace

TEST_CASE("with nothing picked, the Logs page follows the newest run of this computer's worker",
    "[gui][logs][page][follow]")
{
    LocalRun a("a1", 100);
    LocalRun b("b2", 200);
    LocalRun c("c3", 300);
    LogsPage page;
    page.resize(900, 500);
    page.show();
    QSignalSpy following(&page, &LogsPage::followingChanged);
    CHECK(page.isFollowingNewest());
    CHECK(page.isEmptyState());

    // A worker with no run yet: the page says the newest will show.
    page.setWorkerStatus(status({}));
    CHECK(page.isEmptyState());
    CHECK(page.emptyStateText().startsWith(QLatin1String("No run on this computer's worker yet")));

    // Two runs: the one started last, whatever the order they are listed in.
    page.setWorkerStatus(status({ b.json(), a.json() }));
    REQUIRE(shows(page, b));
    CHECK(page.title().endsWith(QStringLiteral("— running")));
    CHECK(page.isFollowingNewest());
    CHECK(test::findButton(&page, QStringLiteral("Follow newest run"))->isHidden());

    // A newer one starts: the page moves to it.
    page.setWorkerStatus(status({ a.json(), b.json(), c.json() }));
    REQUIRE(shows(page, c));

    // It finishes and leaves the worker while an older one goes on: the finished one stays in view.
    page.setWorkerStatus(status({ a.json(), b.json() }));
    CHECK(page.currentRunUuid() == c.uuid);
    // A link that went down says nothing about the runs.
    page.setWorkerStatus({});
    CHECK(page.currentRunUuid() == c.uuid);
    CHECK(following.isEmpty());

    // The user picks a run (the Dashboard's selection): it stays, newer runs or not.
    page.showLocalRun(a.uuid, a.dir.path());
    CHECK_FALSE(page.isFollowingNewest());
    REQUIRE(following.size() == 1);
    CHECK_FALSE(following.last().first().toBool());
    REQUIRE(shows(page, a));
    LocalRun d("d4", 400);
    page.setWorkerStatus(status({ a.json(), d.json() }));
    CHECK(page.currentRunUuid() == a.uuid);
    QAbstractButton *follow = test::findButton(&page, QStringLiteral("Follow newest run"));
    CHECK_FALSE(follow->isHidden());

    // Following again shows the newest at once.
    follow->click();
    CHECK(page.isFollowingNewest());
    CHECK(following.last().first().toBool());
    REQUIRE(shows(page, d));
    CHECK(follow->isHidden());
}

TEST_CASE("picking a run by uuid, the worker's log, or clear()", "[gui][logs][page][follow]")
{
    LocalRun a("a1", 100);
    LocalRun b("b2", 200);
    LogsPage page;
    page.resize(900, 500);
    page.show();
    page.setWorkerStatus(status({ a.json(), b.json() }));
    REQUIRE(shows(page, b));

    SECTION("showRun() reads a run on this worker from its directory")
    {
        page.showRun(a.uuid);
        CHECK_FALSE(page.isFollowingNewest());
        REQUIRE(shows(page, a));
    }
    SECTION("showRun() of a run elsewhere reads it from the server")
    {
        test::LocalServerFixture server;
        test::ClientSession session(server.server->url(), QStringLiteral("codalab"), server.password);
        const QString remote = test::submit(session.client, test::testRun(QStringLiteral("echo hi")));
        page.setClient(&session.client);
        page.showRun(remote);
        CHECK_FALSE(page.isFollowingNewest());
        CHECK(page.currentRunUuid() == remote);
        CHECK_FALSE(page.isShowingLocalRun());
        REQUIRE(spinUntil([&] { return page.title().endsWith(QStringLiteral("— staged")); }, 20000));
        page.setClient(nullptr);
    }
    SECTION("the worker's log is a pick too")
    {
        QTemporaryDir dir;
        page.showWorkerLog(dir.filePath(QStringLiteral("worker.log")));
        CHECK_FALSE(page.isFollowingNewest());
        LocalRun c("c3", 300);
        page.setWorkerStatus(status({ a.json(), b.json(), c.json() }));
        CHECK(page.title() == QLatin1String("Worker log"));
    }
    SECTION("clear() follows the newest again")
    {
        page.showLocalRun(a.uuid, a.dir.path());
        page.clear();
        CHECK(page.isFollowingNewest());
        REQUIRE(shows(page, b));
    }
}

TEST_CASE("a followed run that leaves the worker goes on from the server", "[gui][logs][page][follow]")
{
    test::LocalServerFixture server;
    test::ClientSession session(server.server->url(), QStringLiteral("codalab"), server.password);
    const QString uuid = test::submit(session.client, test::testRun(QStringLiteral("echo hi")));
    QTemporaryDir dir;
    {
        QFile out(dir.filePath(QStringLiteral("stdout")));
        REQUIRE(out.open(QIODevice::WriteOnly));
        out.write("epoch 1 done\n");
    }
    const QJsonObject run { { QStringLiteral("uuid"), uuid }, { QStringLiteral("bundle_start_time"), 100.0 },
        { QStringLiteral("run_dir"), dir.path() }, { QStringLiteral("state"), QStringLiteral("running") },
        { QStringLiteral("failure_message"), QJsonValue() } };
    LogsPage page;
    page.resize(900, 500);
    page.setClient(&session.client);
    page.show();
    page.setWorkerStatus(status({ run }));
    REQUIRE(page.isShowingLocalRun());
    REQUIRE(spinUntil([&] { return page.stdoutView()->text() == QLatin1String("epoch 1 done\n"); }, 10000));

    page.setWorkerStatus(status({}));
    CHECK_FALSE(page.isShowingLocalRun());
    CHECK(page.currentRunUuid() == uuid);
    CHECK(page.isFollowingNewest());
    REQUIRE(spinUntil([&] { return page.title().endsWith(QStringLiteral("— staged")); }, 20000));
    CHECK(page.stdoutView()->text() == QLatin1String("epoch 1 done\n"));
}
