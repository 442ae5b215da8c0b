// SPDX-License-Identifier: GPL-3.0-or-later
// MyRunsModel against codalab-local-server on 127.0.0.1: the user's runs, newest first, updated row by
// row as they change, one search at a time, and the rows kept when the server goes away.
#include "localserver/localserverfixture.h"
#include "myruns/myrunsmodel.h"
#include "myruns/myrunstestsupport.h"
#include "support/codalabtestdata.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;
using ui::MyRunsModel;

namespace {

QString cell(const MyRunsModel &model, int row, MyRunsModel::Column column)
{
    return model.index(row, column).data().toString();
}

/// Five minutes after now, so every run created during the test is "5 min ago".
qint64 fiveMinutesOn()
{
    static const qint64 t = QDateTime::currentSecsSinceEpoch() + 300;
    return t;
}

} // namespace

TEST_CASE("the model lists my runs, newest first, in readable columns", "[gui][myruns]")
{
    test::LocalServerFixture f;
    test::ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password);
    MyRunsModel model(&s.client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setClock(fiveMinutesOn);
    CHECK_FALSE(model.hasLoaded());

    REQUIRE(test::refreshAndWait(model));
    CHECK(model.hasLoaded());
    CHECK(model.rowCount() == 0);

    const QString first
        = test::submit(s.client, test::testRun(QStringLiteral("echo one"), QStringLiteral("one")));
    auto second = test::testRun(QStringLiteral("echo   two\n  and more"), QStringLiteral("two"));
    second.queue = QStringLiteral("gpu-box");
    second.image.clear();
    const QString secondUuid = test::submit(s.client, second);
    auto http = f.root();
    test::createDataset(*http, QStringLiteral("not-a-run")); // uploads are not runs

    REQUIRE(test::refreshAndWait(model));
    REQUIRE(model.rowCount() == 2);
    CHECK(model.index(0, 0).data(MyRunsModel::UuidRole).toString() == secondUuid);
    CHECK(model.index(1, 0).data(MyRunsModel::UuidRole).toString() == first);
    CHECK(cell(model, 0, MyRunsModel::UuidColumn) == secondUuid.left(10));
    CHECK(cell(model, 0, MyRunsModel::NameColumn) == QLatin1String("two"));
    CHECK(cell(model, 0, MyRunsModel::CommandColumn) == QLatin1String("echo two and more")); // one line
    CHECK(model.index(0, MyRunsModel::CommandColumn).data(Qt::ToolTipRole).toString() == second.command);
    CHECK(cell(model, 0, MyRunsModel::ImageColumn) == QLatin1String("server default"));
    CHECK(cell(model, 1, MyRunsModel::ImageColumn) == QLatin1String("codalab-test/busybox:latest"));
    CHECK(cell(model, 0, MyRunsModel::QueueColumn) == QLatin1String("gpu-box"));
    CHECK(cell(model, 1, MyRunsModel::QueueColumn).isEmpty());
    CHECK(cell(model, 0, MyRunsModel::CreatedColumn) == QLatin1String("5 min ago"));
    CHECK(cell(model, 0, MyRunsModel::RunTimeColumn).isEmpty()); // never started
    const QJsonObject bundle = model.index(0, 0).data(MyRunsModel::BundleRole).toJsonObject();
    CHECK(bundle[QLatin1String("id")].toString() == secondUuid);
    CHECK(
        model.headerData(MyRunsModel::RunTimeColumn, Qt::Horizontal).toString() == QLatin1String("Run time"));

    // With no worker the scheduler stages them, and says why they wait.
    REQUIRE(spinUntil(
        [&] {
            return test::refreshAndWait(model)
                && cell(model, 0, MyRunsModel::StateColumn) == QLatin1String("staged")
                && cell(model, 1, MyRunsModel::StateColumn) == QLatin1String("staged");
        },
        20000, 50));
    CHECK(model.index(0, MyRunsModel::StateColumn)
              .data(Qt::ToolTipRole)
              .toString()
              .startsWith(QLatin1String("No workers available")));
}

TEST_CASE("a refresh changes rows in place, so persistent indexes and selections survive", "[gui][myruns]")
{
    test::LocalServerFixture f;
    test::ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password);
    MyRunsModel model(&s.client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setClock(fiveMinutesOn);
    QStringList uuids;
    for (const char *name : { "a", "b", "c" }) {
        uuids << test::submit(s.client, test::testRun(QStringLiteral("sleep 1"), QString::fromLatin1(name)));
    }
    for (const QString &uuid : std::as_const(uuids)) {
        REQUIRE(test::waitServerState(s.client, uuid, QStringLiteral("staged"), 20000));
    }
    REQUIRE(test::refreshAndWait(model));
    REQUIRE(model.rowCount() == 3);
    const QPersistentModelIndex b(model.index(model.rowOf(uuids[1]), MyRunsModel::StateColumn));
    REQUIRE(b.row() == 1);

    SECTION("a state change is one dataChanged, for that row's changed cells only")
    {
        QSignalSpy changed(&model, &MyRunsModel::dataChanged);
        QSignalSpy inserted(&model, &MyRunsModel::rowsInserted);
        QSignalSpy removed(&model, &MyRunsModel::rowsRemoved);
        REQUIRE(test::waitApi(s.client.kill(uuids[1])).ok());
        REQUIRE(test::refreshAndWait(model));
        CHECK(b.isValid());
        CHECK(b.row() == 1);
        CHECK(b.data().toString() == QLatin1String("killed"));
        CHECK(b.data(MyRunsModel::StateRole).toString() == QLatin1String("killed"));
        CHECK(inserted.isEmpty());
        CHECK(removed.isEmpty());
        REQUIRE(changed.size() == 1);
        const auto topLeft = changed.first().at(0).value<QModelIndex>();
        const auto bottomRight = changed.first().at(1).value<QModelIndex>();
        CHECK(topLeft.row() == 1);
        CHECK(bottomRight.row() == 1);
        CHECK(topLeft.column() <= MyRunsModel::StateColumn);
        CHECK(bottomRight.column() >= MyRunsModel::StateColumn);
        CHECK(bottomRight.column() < MyRunsModel::CreatedColumn); // the ages did not change

        // Nothing changed: nothing is signalled.
        changed.clear();
        REQUIRE(test::refreshAndWait(model));
        CHECK(changed.isEmpty());
    }

    SECTION("a new run is inserted on top and a deleted one removed; the others keep their index")
    {
        const QString d = test::submit(s.client, test::testRun(QStringLiteral("true"), QStringLiteral("d")));
        REQUIRE(test::refreshAndWait(model));
        REQUIRE(model.rowCount() == 4);
        CHECK(model.index(0, 0).data(MyRunsModel::UuidRole).toString() == d);
        CHECK(b.row() == 2);

        REQUIRE(test::waitApi(s.client.kill(uuids[2])).ok());
        auto http = f.root();
        const QJsonObject body { { QStringLiteral("data"),
            QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("bundles") },
                { QStringLiteral("id"), uuids[2] } } } } };
        REQUIRE(http->del(QStringLiteral("/rest/bundles"), body).status == 200);
        REQUIRE(test::refreshAndWait(model));
        CHECK(model.rowCount() == 3);
        CHECK(model.rowOf(uuids[2]) == -1);
        CHECK(b.isValid());
        CHECK(b.data(MyRunsModel::UuidRole).toString() == uuids[1]);
    }
}

TEST_CASE("refreshes never stack: one asked for meanwhile waits for the answer", "[gui][myruns]")
{
    test::LocalServerFixture f;
    test::ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password);
    MyRunsModel model(&s.client);
    QSignalSpy refreshed(&model, &MyRunsModel::refreshed);
    model.refresh();
    model.refresh();
    model.refresh();
    CHECK(model.isRefreshing());
    REQUIRE(spinUntil([&] { return !model.isRefreshing(); }, 30000));
    CHECK(refreshed.size() == 2); // the first, then one for the two asked for while it ran

    model.setAutoRefresh(20);
    CHECK(model.autoRefreshInterval() == 20);
    REQUIRE(spinUntil([&] { return refreshed.size() >= 4; }, 30000));
    model.setAutoRefresh(0);
    CHECK(model.autoRefreshInterval() == 0);
}

TEST_CASE("a server that is down: a clear error, and the rows stay", "[gui][myruns]")
{
    test::LocalServerFixture f;
    test::ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password);
    MyRunsModel model(&s.client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    test::submit(s.client, test::testRun(QStringLiteral("true"), QStringLiteral("kept")));
    REQUIRE(test::refreshAndWait(model));
    REQUIRE(model.rowCount() == 1);
    CHECK(model.errorString().isEmpty());

    QSignalSpy errors(&model, &MyRunsModel::errorChanged);
    f.server.reset();
    CHECK_FALSE(test::refreshAndWait(model));
    CHECK(model.rowCount() == 1);
    CHECK(cell(model, 0, MyRunsModel::NameColumn) == QLatin1String("kept"));
    REQUIRE(errors.size() == 1);
    const QString error = errors.first().first().toString();
    CHECK(error == model.errorString());
    INFO(error.toStdString());
    CHECK(error.contains(QLatin1String("refused"), Qt::CaseInsensitive));

    // The same error again is not news.
    CHECK_FALSE(test::refreshAndWait(model));
    CHECK(errors.size() == 1);
}

TEST_CASE("clear() forgets the account's runs and errors, and drops the answer in flight", "[gui][myruns]")
{
    test::LocalServerFixture f;
    test::ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password);
    MyRunsModel model(&s.client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setClock(fiveMinutesOn);
    const QString uuid
        = test::submit(s.client, test::testRun(QStringLiteral("true"), QStringLiteral("mine")));
    REQUIRE(test::refreshAndWait(model));
    REQUIRE(model.rowCount() == 1);
    CHECK(cell(model, 0, MyRunsModel::CreatedColumn).endsWith(QLatin1String(" min ago"))); // Units::ago

    // A search goes out, then the account changes before its answer.
    QSignalSpy refreshed(&model, &MyRunsModel::refreshed);
    model.refresh();
    REQUIRE(model.isRefreshing());
    model.clear();
    CHECK(model.rowCount() == 0);
    CHECK_FALSE(model.hasLoaded());
    CHECK_FALSE(model.isRefreshing());
    // The server has answered the dropped search by the time it answers a later call on the same client.
    CHECK_FALSE(test::fetchBundle(s.client, uuid).isEmpty());
    QCoreApplication::processEvents();
    CHECK(refreshed.isEmpty());
    CHECK(model.rowCount() == 0);

    // A new refresh loads again; a failed one leaves an error that clear() forgets too.
    REQUIRE(test::refreshAndWait(model));
    CHECK(model.rowCount() == 1);
    f.server.reset();
    CHECK_FALSE(test::refreshAndWait(model));
    REQUIRE_FALSE(model.errorString().isEmpty());
    QSignalSpy errors(&model, &MyRunsModel::errorChanged);
    model.clear();
    CHECK(model.errorString().isEmpty());
    REQUIRE(errors.size() == 1);
    CHECK(errors.first().first().toString().isEmpty());
    CHECK(model.rowCount() == 0);
    CHECK_FALSE(model.hasLoaded());
}

TEST_CASE("the ages move on with the clock: one dataChanged over the two clock columns", "[gui][myruns]")
{
    test::LocalServerFixture f;
    test::ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password);
    MyRunsModel model(&s.client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    qint64 now = QDateTime::currentSecsSinceEpoch() + 33;
    model.setClock([&now] { return now; });
    QSignalSpy changed(&model, &MyRunsModel::dataChanged);
    model.refreshTimes(); // no rows: nothing to say
    CHECK(changed.isEmpty());
    for (const char *name : { "a", "b" }) {
        const QString uuid
            = test::submit(s.client, test::testRun(QStringLiteral("true"), QString::fromLatin1(name)));
        // Staged, where they stay without a worker: later refreshes find nothing new.
        REQUIRE(test::waitServerState(s.client, uuid, QStringLiteral("staged"), 20000));
    }
    REQUIRE(test::refreshAndWait(model));
    REQUIRE(model.rowCount() == 2);
    CHECK(cell(model, 0, MyRunsModel::CreatedColumn).endsWith(QLatin1String(" s ago")));

    // Nothing changed on the server; only the clock did.
    changed.clear();
    now += 300;
    model.refreshTimes();
    REQUIRE(changed.size() == 1);
    const auto topLeft = changed.first().at(0).value<QModelIndex>();
    const auto bottomRight = changed.first().at(1).value<QModelIndex>();
    CHECK(topLeft.row() == 0);
    CHECK(topLeft.column() == MyRunsModel::CreatedColumn);
    CHECK(bottomRight.row() == 1);
    CHECK(bottomRight.column() == MyRunsModel::RunTimeColumn);
    CHECK(cell(model, 0, MyRunsModel::CreatedColumn) == QLatin1String("5 min ago"));
    CHECK(cell(model, 1, MyRunsModel::CreatedColumn) == QLatin1String("5 min ago"));

    // A refresh that finds nothing new says nothing, whatever the clock did.
    changed.clear();
    now += 600;
    REQUIRE(test::refreshAndWait(model));
    CHECK(changed.isEmpty());
    CHECK(cell(model, 0, MyRunsModel::CreatedColumn) == QLatin1String("15 min ago"));
}

TEST_CASE("final and active states", "[gui][myruns]")
{
    CHECK(MyRunsModel::isFinalState(QStringLiteral("killed")));
    CHECK_FALSE(MyRunsModel::isFinalState(QStringLiteral("staged")));
    CHECK(MyRunsModel::activeStates().contains(QLatin1String("finalizing")));
}
