// SPDX-License-Identifier: GPL-3.0-or-later
// The run details (#15): run times from the start and end the server keeps, ages that follow the clock, a
// staged run held by this computer's paused, snoozed or draining worker (with Resume), a killed run's
// failure message, the owner's name (looked up once) and the dependencies. Bundles as the REST API sends
// them, built here, and runs on codalab-local-server for the owner and the dependencies.
#include "common/units.h"
#include "localserver/localserverfixture.h"
#include "myruns/myrunsmodel.h"
#include "myruns/myrunspage.h"
#include "myruns/myrunstestsupport.h"
#include "myruns/ownworkerhold.h"
#include "myruns/rundetailspanel.h"
#include "myruns/runtimes.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLocale>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;
using ui::RunDetailsPanel;

namespace {

constexpr qint64 T = 1767225329; // 2025-12-31 23:55:29 UTC

/// A run bundle as GET /rest/bundles answers it, with these metadata keys on top of a name and `created`.
QJsonObject runBundle(const QString &state, const QJsonObject &extra = {})
{
    QJsonObject metadata { { QStringLiteral("name"), QStringLiteral("short-job") },
        { QStringLiteral("created"), double(T - 60) } };
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        metadata.insert(it.key(), it.value());
    }
    const QString uuid = QStringLiteral("0x0123456789abcdef0123456789abcdef");
    return { { QStringLiteral("type"), QStringLiteral("bundles") }, { QStringLiteral("id"), uuid },
        { QStringLiteral("attributes"),
            QJsonObject { { QStringLiteral("uuid"), uuid },
                { QStringLiteral("bundle_type"), QStringLiteral("run") }, { QStringLiteral("state"), state },
                { QStringLiteral("command"), QStringLiteral("sleep 1") },
                { QStringLiteral("metadata"), metadata } } } };
}

/// What this computer's worker publishes, as far as the details read it.
QJsonObject workerStatus(const QString &availability, const QJsonObject &extra = {})
{
    QJsonObject s { { QStringLiteral("availability"), availability }, { QStringLiteral("tag"), QString() },
        { QStringLiteral("tag_exclusive"), false }, { QStringLiteral("runs"), QJsonArray() },
        { QStringLiteral("snooze_until"), QJsonValue() } };
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        s.insert(it.key(), it.value());
    }
    return s;
}

const QString serverReason
    = QStringLiteral("No worker can meet your bundle's resource requirements. Available resources: [...]");

} // namespace

TEST_CASE("a run's time is from its start to its end, never the container's rounded-down seconds",
    "[gui][myruns][details]")
{
    // Started 23:55:29, ended 23:55:30; the container itself ran 0.4 s.
    const QJsonObject ready = runBundle(QStringLiteral("ready"),
        { { QStringLiteral("started"), double(T) }, { QStringLiteral("last_updated"), double(T + 1) },
            { QStringLiteral("time"), 0.4 }, { QStringLiteral("time_preparing"), 0.2 },
            { QStringLiteral("time_running"), 0.6 }, { QStringLiteral("exitcode"), 0 } });
    CHECK(ui::RunTimes::runSeconds(ready, T + 500) == 1);
    CHECK(ui::RunTimes::runText(ready, T + 500) == ui::Units::duration(1));
    CHECK(ui::RunTimes::breakdown(ready)
        == QLatin1String("preparing 0:00:00, running 0:00:01, container 0:00:00"));

    RunDetailsPanel panel;
    panel.setClock([] { return T + 31; });
    panel.setBundle(ready);
    CHECK(panel.fieldText(RunDetailsPanel::RunTimeField) == QLatin1String("0:00:01"));
    CHECK(panel.fieldText(RunDetailsPanel::ExitCodeField) == QLatin1String("0"));
    CHECK(panel.fieldText(RunDetailsPanel::EndedField).endsWith(QLatin1String("(30 s ago)")));

    // One that goes on counts to now; one that never started has no run time.
    const QJsonObject running = runBundle(QStringLiteral("running"),
        { { QStringLiteral("started"), double(T) }, { QStringLiteral("last_updated"), double(T + 60) },
            { QStringLiteral("time"), 58.0 } });
    CHECK(ui::RunTimes::runText(running, T + 75) == QLatin1String("0:01:15"));
    CHECK_FALSE(ui::RunTimes::ended(running));
    const QJsonObject staged = runBundle(QStringLiteral("staged"));
    CHECK_FALSE(ui::RunTimes::runSeconds(staged, T));
    panel.setBundle(staged);
    CHECK(panel.fieldText(RunDetailsPanel::RunTimeField) == QStringLiteral("—"));
    CHECK(panel.fieldText(RunDetailsPanel::StartedField) == QLatin1String("not yet"));
}

TEST_CASE("the details' ages and a running run's time follow the clock", "[gui][myruns][details]")
{
    qint64 now = T + 33;
    RunDetailsPanel panel;
    panel.setClock([&now] { return now; });
    panel.setBundle(runBundle(QStringLiteral("running"), { { QStringLiteral("started"), double(T) } }));
    CHECK(panel.fieldText(RunDetailsPanel::StartedField).endsWith(QLatin1String("(33 s ago)")));
    CHECK(panel.fieldText(RunDetailsPanel::RunTimeField) == QLatin1String("0:00:33"));
    now += 120;
    panel.refreshTimes();
    CHECK(panel.fieldText(RunDetailsPanel::StartedField).endsWith(QLatin1String("(2 min ago)")));
    CHECK(panel.fieldText(RunDetailsPanel::RunTimeField) == QLatin1String("0:02:33"));
}

TEST_CASE("a staged run that this computer's worker would take says when the worker is not taking runs",
    "[gui][myruns][details]")
{
    RunDetailsPanel panel;
    panel.show();
    QSignalSpy resume(&panel, &RunDetailsPanel::resumeWorkerRequested);
    panel.setBundle(
        runBundle(QStringLiteral("staged"), { { QStringLiteral("staged_status"), serverReason } }));
    CHECK(panel.noticeText() == QStringLiteral("Waiting for a worker\n") + serverReason);
    CHECK(panel.resumeButton()->isHidden());

    SECTION("snoozed: until when, in the locale's short time, and a Resume button")
    {
        const qint64 until = QDateTime::currentSecsSinceEpoch() + 3600;
        panel.setWorkerStatus(
            workerStatus(QStringLiteral("snoozed"), { { QStringLiteral("snooze_until"), double(until) } }));
        const QString hhmm
            = QLocale().toString(QDateTime::fromSecsSinceEpoch(until).time(), QLocale::ShortFormat);
        CHECK(panel.noticeText()
            == QStringLiteral("Waiting for your worker\nYour worker is snoozed until %1: the run will wait.")
                   .arg(hhmm));
        REQUIRE_FALSE(panel.resumeButton()->isHidden());
        test::findButton(&panel, QStringLiteral("Resume worker"))->click();
        CHECK(resume.size() == 1);

        // Resumed: the worker's status says so, and the server's reason is back.
        panel.setWorkerStatus(workerStatus(QStringLiteral("available")));
        CHECK(panel.noticeText() == QStringLiteral("Waiting for a worker\n") + serverReason);
        CHECK(panel.resumeButton()->isHidden());
    }
    SECTION("paused and draining")
    {
        panel.setWorkerStatus(workerStatus(QStringLiteral("paused")));
        CHECK(panel.noticeText().endsWith(QLatin1String("\nYour worker is paused: the run will wait.")));
        CHECK_FALSE(panel.resumeButton()->isHidden());
        panel.setWorkerStatus(workerStatus(QStringLiteral("draining")));
        CHECK(panel.noticeText().endsWith(QLatin1String(
            "\nYour worker takes no new runs (draining): the run will wait for another worker.")));
        CHECK_FALSE(panel.resumeButton()->isHidden());
    }
    SECTION("a worker that would not take the run anyway is not the reason")
    {
        // Another queue tag; a tag-exclusive worker and an untagged run; more GPUs than it has; no worker.
        panel.setBundle(runBundle(QStringLiteral("staged"),
            { { QStringLiteral("staged_status"), serverReason },
                { QStringLiteral("request_queue"), QStringLiteral("gpu-box") } }));
        panel.setWorkerStatus(workerStatus(QStringLiteral("paused")));
        CHECK(panel.noticeText().startsWith(QLatin1String("Waiting for a worker\n")));
        panel.setWorkerStatus(
            workerStatus(QStringLiteral("paused"), { { QStringLiteral("tag"), QStringLiteral("gpu-box") } }));
        CHECK(panel.noticeText().startsWith(QLatin1String("Waiting for your worker\n")));

        panel.setBundle(
            runBundle(QStringLiteral("staged"), { { QStringLiteral("staged_status"), serverReason } }));
        panel.setWorkerStatus(workerStatus(QStringLiteral("paused"),
            { { QStringLiteral("tag"), QStringLiteral("mine") },
                { QStringLiteral("tag_exclusive"), true } }));
        CHECK(panel.noticeText().startsWith(QLatin1String("Waiting for a worker\n")));

        panel.setBundle(runBundle(QStringLiteral("staged"),
            { { QStringLiteral("staged_status"), serverReason }, { QStringLiteral("request_gpus"), 2 } }));
        panel.setWorkerStatus(workerStatus(QStringLiteral("paused")));
        CHECK(panel.noticeText().startsWith(QLatin1String("Waiting for a worker\n")));

        panel.setBundle(
            runBundle(QStringLiteral("staged"), { { QStringLiteral("staged_status"), serverReason } }));
        panel.setWorkerStatus({});
        CHECK(panel.noticeText() == QStringLiteral("Waiting for a worker\n") + serverReason);
        CHECK(panel.resumeButton()->isHidden());
    }
    SECTION("only staged runs wait")
    {
        panel.setWorkerStatus(workerStatus(QStringLiteral("paused")));
        panel.setBundle(runBundle(QStringLiteral("running"), { { QStringLiteral("started"), double(T) } }));
        CHECK(panel.noticeText().isEmpty());
        CHECK(ui::OwnWorkerHold::reason(workerStatus(QStringLiteral("paused")), panel.bundle()).isEmpty());
    }
}

TEST_CASE(
    "a killed or failed run says why, with the exit code when the server has one", "[gui][myruns][details]")
{
    RunDetailsPanel panel;
    panel.setBundle(runBundle(QStringLiteral("killed"),
        { { QStringLiteral("failure_message"), QStringLiteral("Kill requested") } }));
    CHECK(panel.noticeText() == QLatin1String("Killed\nKill requested"));
    CHECK(panel.fieldText(RunDetailsPanel::ExitCodeField) == QStringLiteral("—"));

    panel.setBundle(runBundle(QStringLiteral("killed"),
        { { QStringLiteral("failure_message"), QStringLiteral("Kill requested") },
            { QStringLiteral("exitcode"), 137 }, { QStringLiteral("started"), double(T) },
            { QStringLiteral("last_updated"), double(T + 5) } }));
    CHECK(panel.noticeText() == QLatin1String("Killed\nKill requested"));
    CHECK(panel.fieldText(RunDetailsPanel::ExitCodeField) == QLatin1String("137"));

    panel.setBundle(runBundle(QStringLiteral("failed"),
        { { QStringLiteral("failure_message"), QStringLiteral("Exit code 2") },
            { QStringLiteral("exitcode"), 2 } }));
    CHECK(panel.noticeText() == QLatin1String("Failed\nExit code 2"));
    CHECK(panel.fieldText(RunDetailsPanel::ExitCodeField) == QLatin1String("2"));
}

TEST_CASE("dependencies read key: parent (uuid)/path", "[gui][myruns][details]")
{
    QJsonObject bundle = runBundle(QStringLiteral("staged"));
    QJsonObject attributes = bundle[QLatin1String("attributes")].toObject();
    const auto dependency = [](const char *key, const char *name, const char *path) {
        return QJsonObject { { QStringLiteral("child_path"), QLatin1String(key) },
            { QStringLiteral("child_uuid"), QStringLiteral("0x0123456789abcdef0123456789abcdef") },
            { QStringLiteral("parent_uuid"), QStringLiteral("0xfedcba98765432100123456789abcdef") },
            { QStringLiteral("parent_name"), name ? QJsonValue(QLatin1String(name)) : QJsonValue() },
            { QStringLiteral("parent_path"), QLatin1String(path) } };
    };
    RunDetailsPanel panel;
    panel.setBundle(bundle);
    CHECK(panel.fieldText(RunDetailsPanel::DependenciesField) == QLatin1String("none"));
    attributes[QLatin1String("dependencies")] = QJsonArray { dependency("data", "corpus", ""),
        dependency("prev", "train", "out/model.pt"), dependency("x", nullptr, "a") };
    bundle[QLatin1String("attributes")] = attributes;
    panel.setBundle(bundle);
    CHECK(panel.fieldText(RunDetailsPanel::DependenciesField)
        == QLatin1String(
            "data: corpus (0xfedcba98)\nprev: train (0xfedcba98)/out/model.pt\nx: 0xfedcba98/a"));
}

TEST_CASE(
    "My runs: the owner by name, looked up once; the dependencies; a killed run's message; the worker's hold",
    "[gui][myruns][details]")
{
    test::LocalServerFixture server;
    test::ClientSession session(server.server->url(), QStringLiteral("codalab"), server.password);
    const QString parent
        = test::submit(session.client, test::testRun(QStringLiteral("echo hello"), QStringLiteral("hello")));
    auto child = test::testRun(QStringLiteral("cat prev/x"), QStringLiteral("child"));
    child.dependencies
        = { { QStringLiteral("prev"), parent + QStringLiteral("/out"), parent, QStringLiteral("out") } };
    const QString childUuid = test::submit(session.client, child);
    const QString killed
        = test::submit(session.client, test::testRun(QStringLiteral("sleep 9"), QStringLiteral("stopped")));
    // The child waits for its parent (created); the others are staged with no worker to take them.
    for (const QString &uuid : { parent, killed }) {
        REQUIRE(test::waitServerState(session.client, uuid, QStringLiteral("staged"), 20000));
    }
    REQUIRE(test::waitApi(session.client.kill(killed)).ok());

    ui::MyRunsPage page(&session.client);
    page.setRefreshInterval(0);
    page.resize(1000, 600);
    page.show();
    REQUIRE(test::refreshAndWait(*page.model()));
    // The paths as they finish: the replies are deleted soon after.
    QStringList paths;
    QObject::connect(&session.nam, &QNetworkAccessManager::finished, &page,
        [&paths](QNetworkReply *reply) { paths << reply->url().path(); });
    const auto userLookups = [&paths] {
        return std::count_if(paths.begin(), paths.end(),
            [](const QString &path) { return path.contains(QLatin1String("/rest/users/")); });
    };

    REQUIRE(page.selectRun(childUuid));
    RunDetailsPanel *details = page.details();
    REQUIRE(spinUntil(
        [&] { return details->fieldText(RunDetailsPanel::OwnerField) == QLatin1String("codalab"); }, 20000));
    CHECK(details->fieldText(RunDetailsPanel::DependenciesField)
        == QStringLiteral("prev: hello (%1)/out").arg(parent.left(10)));

    // The same owner again: known already, nothing is asked.
    REQUIRE(page.selectRun(killed));
    CHECK(details->fieldText(RunDetailsPanel::OwnerField) == QLatin1String("codalab"));
    CHECK(details->noticeText() == QLatin1String("Killed\nKill requested"));
    CHECK(userLookups() == 1);

    // This computer's worker is paused and would take the run: the details say so; Resume asks the shell.
    QSignalSpy resume(&page, &ui::MyRunsPage::resumeWorkerRequested);
    REQUIRE(page.selectRun(parent));
    page.setWorkerStatus(workerStatus(QStringLiteral("paused")));
    CHECK(details->noticeText()
        == QLatin1String("Waiting for your worker\nYour worker is paused: the run will wait."));
    test::findButton(&page, QStringLiteral("Resume worker"))->click();
    CHECK(resume.size() == 1);

    // Another account: the names of the one before are forgotten.
    page.clear();
    REQUIRE(test::refreshAndWait(*page.model()));
    REQUIRE(page.selectRun(parent));
    REQUIRE(spinUntil(
        [&] { return details->fieldText(RunDetailsPanel::OwnerField) == QLatin1String("codalab"); }, 20000));
    CHECK(userLookups() == 2);
}

TEST_CASE("My runs rewrites ages every 10 s while shown, and not while hidden", "[gui][myruns][details]")
{
    test::LocalServerFixture server;
    test::ClientSession session(server.server->url(), QStringLiteral("codalab"), server.password);
    const QString uuid
        = test::submit(session.client, test::testRun(QStringLiteral("true"), QStringLiteral("aging")));
    ui::MyRunsPage page(&session.client);
    page.setRefreshInterval(0);
    qint64 now = QDateTime::currentSecsSinceEpoch() + 40;
    page.setClock([&now] { return now; });
    CHECK(page.timesRefreshInterval() == 0);
    page.show();
    CHECK(page.timesRefreshInterval() == 10000);
    REQUIRE(test::refreshAndWait(*page.model()));
    REQUIRE(page.selectRun(uuid));
    const QModelIndex created
        = page.model()->index(page.model()->rowOf(uuid), ui::MyRunsModel::CreatedColumn);
    CHECK(created.data().toString().endsWith(QLatin1String(" s ago")));
    CHECK(page.details()->fieldText(RunDetailsPanel::CreatedField).endsWith(QLatin1String(" s ago)")));

    now += 180;
    page.refreshTimes(); // what the timer calls
    CHECK(created.data().toString() == QLatin1String("3 min ago"));
    CHECK(page.details()->fieldText(RunDetailsPanel::CreatedField).endsWith(QLatin1String("(3 min ago)")));
    page.hide();
    CHECK(page.timesRefreshInterval() == 0);
}
