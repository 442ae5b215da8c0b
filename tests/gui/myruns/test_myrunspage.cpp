// SPDX-License-Identifier: GPL-3.0-or-later
// The My runs page against codalab-local-server (filters, details, kill, rerun, logs, empty and error
// states), and with a real codalab-worker for the screenshot (docs/screenshots/my-runs.png when
// CODALAB_SCREENSHOTS=1).
#include "localserver/localserverfixture.h"
#include "myruns/myrunsfiltermodel.h"
#include "myruns/myrunsmodel.h"
#include "myruns/myrunspage.h"
#include "myruns/myrunstestsupport.h"
#include "myruns/rundetailspanel.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTableView>
#include <QTcpServer>
#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;
using ui::MyRunsModel;
using ui::MyRunsPage;
using ui::RunDetailsPanel;

namespace {

/// Three staged runs (no worker) and a killed one, on a fresh server, and the page over them, shown.
struct PageFixture
{
    test::LocalServerFixture server;
    test::ClientSession session { server.server->url(), QStringLiteral("codalab"), server.password };
    QString hello, train, queued, killed;
    MyRunsPage page { &session.client };
    QAbstractItemModelTester modelTester { page.model(),
        QAbstractItemModelTester::FailureReportingMode::Fatal };
    QAbstractItemModelTester filterTester { page.filterModel(),
        QAbstractItemModelTester::FailureReportingMode::Fatal };

    PageFixture()
    {
        hello = test::submit(
            session.client, test::testRun(QStringLiteral("echo hello"), QStringLiteral("hello")));
        train = test::submit(session.client,
            test::testRun(QStringLiteral("python train.py --epochs 3"), QStringLiteral("train")));
        auto q = test::testRun(QStringLiteral("nvidia-smi"), QStringLiteral("on-gpu-box"));
        q.queue = QStringLiteral("gpu-box");
        queued = test::submit(session.client, q);
        killed = test::submit(
            session.client, test::testRun(QStringLiteral("sleep 9"), QStringLiteral("stopped")));
        for (const QString &uuid : { hello, train, queued, killed }) {
            REQUIRE(test::waitServerState(session.client, uuid, QStringLiteral("staged"), 20000));
        }
        REQUIRE(test::waitApi(session.client.kill(killed)).ok());
        page.setRefreshInterval(0); // the tests refresh when they need to
        page.resize(1000, 600);
        page.show();
        REQUIRE(test::refreshAndWait(*page.model()));
        REQUIRE(page.model()->rowCount() == 4);
    }

    int shownRows() const { return page.filterModel()->rowCount(); }
    void chooseState(const QString &label)
    {
        const int i = page.stateFilter()->findText(label);
        REQUIRE(i >= 0);
        page.stateFilter()->setCurrentIndex(i);
    }
    QMessageBox *openKillQuestion()
    {
        QAbstractButton *kill = test::findButton(&page, QStringLiteral("Kill…"));
        REQUIRE(kill->isEnabled());
        kill->click();
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        REQUIRE(box);
        return box;
    }
};

} // namespace

TEST_CASE("the page filters by state and by text, and sorts by column", "[gui][myruns]")
{
    PageFixture f;
    CHECK(f.shownRows() == 4);
    f.chooseState(QStringLiteral("Staged"));
    CHECK(f.shownRows() == 3);
    f.chooseState(QStringLiteral("Killed"));
    REQUIRE(f.shownRows() == 1);
    CHECK(f.page.filterModel()->index(0, 0).data(MyRunsModel::UuidRole).toString() == f.killed);
    f.chooseState(QStringLiteral("Active"));
    CHECK(f.shownRows() == 3);
    f.chooseState(QStringLiteral("Ready"));
    CHECK(f.shownRows() == 0);
    CHECK(f.page.placeholderText() == QLatin1String("No runs match the filter."));

    f.chooseState(QStringLiteral("All"));
    CHECK(f.page.placeholderText().isEmpty());
    f.page.textFilter()->setText(QStringLiteral("TRAIN.py"));
    REQUIRE(f.shownRows() == 1);
    CHECK(f.page.filterModel()->index(0, 0).data(MyRunsModel::UuidRole).toString() == f.train);
    f.page.textFilter()->setText(QStringLiteral("gpu-box")); // the queue
    CHECK(f.shownRows() == 1);
    f.page.textFilter()->setText(f.hello.mid(2, 12)); // part of the uuid
    CHECK(f.shownRows() == 1);
    f.page.textFilter()->clear();

    // Newest first by default, also among runs made within the same second; a click on Name sorts by name.
    CHECK(f.page.filterModel()->index(0, 0).data(MyRunsModel::UuidRole).toString() == f.killed);
    f.page.table()->sortByColumn(MyRunsModel::NameColumn, Qt::AscendingOrder);
    CHECK(
        f.page.filterModel()->index(0, MyRunsModel::NameColumn).data().toString() == QLatin1String("hello"));
    CHECK(
        f.page.filterModel()->index(3, MyRunsModel::NameColumn).data().toString() == QLatin1String("train"));
}

TEST_CASE("clear() empties the page for another account until it loads again", "[gui][myruns]")
{
    PageFixture f;
    REQUIRE(f.page.selectRun(f.hello));
    CHECK_FALSE(f.page.details()->bundle().isEmpty());
    // The details can be read and copied from the keyboard too.
    for (QLabel *label : f.page.details()->findChildren<QLabel *>()) {
        if (label->textInteractionFlags().testFlag(Qt::TextSelectableByMouse)) {
            CHECK(label->textInteractionFlags().testFlag(Qt::TextSelectableByKeyboard));
        }
    }

    f.page.clear();
    CHECK(f.page.model()->rowCount() == 0);
    CHECK_FALSE(f.page.model()->hasLoaded());
    CHECK(f.page.selectedUuid().isEmpty());
    CHECK(f.page.details()->bundle().isEmpty());
    CHECK(f.page.placeholderText() == QStringLiteral("Loading your runs…"));
    CHECK(f.page.bannerText().isEmpty());
    for (const char *button : { "Logs", "Kill…", "Rerun…" }) {
        CHECK_FALSE(test::findButton(&f.page, QString::fromUtf8(button))->isEnabled());
    }

    REQUIRE(test::refreshAndWait(*f.page.model()));
    CHECK(f.page.model()->rowCount() == 4);
    CHECK(f.page.placeholderText().isEmpty());
}

TEST_CASE("the details show the selected run, and why a staged run waits", "[gui][myruns]")
{
    PageFixture f;
    RunDetailsPanel *details = f.page.details();
    CHECK(details->bundle().isEmpty());
    CHECK_FALSE(test::findButton(&f.page, QStringLiteral("Logs"))->isEnabled());

    REQUIRE(f.page.selectRun(f.queued));
    CHECK(f.page.selectedUuid() == f.queued);
    CHECK(details->fieldText(RunDetailsPanel::UuidField) == f.queued);
    CHECK(details->fieldText(RunDetailsPanel::NameField) == QLatin1String("on-gpu-box"));
    CHECK(details->fieldText(RunDetailsPanel::StateField) == QLatin1String("staged"));
    CHECK(details->fieldText(RunDetailsPanel::QueueField) == QLatin1String("gpu-box"));
    CHECK(details->fieldText(RunDetailsPanel::ImageField) == QLatin1String("codalab-test/busybox:latest"));
    CHECK(details->fieldText(RunDetailsPanel::ResourcesField)
              .startsWith(QLatin1String("1 CPU(s), no GPU, memory 64m")));
    CHECK(details->fieldText(RunDetailsPanel::StartedField) == QLatin1String("not yet"));
    CHECK(details->fieldText(RunDetailsPanel::WorkerField) == QStringLiteral("—"));
    const QString notice = details->noticeText();
    CHECK(notice.startsWith(QLatin1String("Waiting for a worker\nNo workers available")));
    CHECK(notice.endsWith(f.page.model()
                              ->index(f.page.model()->rowOf(f.queued), 0)
                              .data(MyRunsModel::BundleRole)
                              .toJsonObject()[QLatin1String("attributes")]
                              .toObject()[QLatin1String("metadata")]
                              .toObject()[QLatin1String("staged_status")]
                              .toString()));

    REQUIRE(f.page.selectRun(f.killed));
    CHECK(details->fieldText(RunDetailsPanel::StateField) == QLatin1String("killed"));
    // Why it ended, in the server's words; no exit code, as it never ran (#15 item 21).
    CHECK(details->noticeText() == QLatin1String("Killed\nKill requested"));
    CHECK(details->fieldText(RunDetailsPanel::ExitCodeField) == QStringLiteral("—"));
    CHECK_FALSE(test::findButton(&f.page, QStringLiteral("Kill…"))->isEnabled()); // it is over
    CHECK(test::findButton(&f.page, QStringLiteral("Rerun…"))->isEnabled());
}

TEST_CASE("Kill asks first: Cancel sends nothing, Kill run ends the run as killed", "[gui][myruns]")
{
    PageFixture f;
    QSignalSpy finished(&f.page, &MyRunsPage::killFinished);
    REQUIRE(f.page.selectRun(f.train));

    QMessageBox *box = f.openKillQuestion();
    CHECK(box->text().contains(QLatin1String("train")));
    box->button(QMessageBox::Cancel)->click();
    CHECK(QApplication::activeModalWidget() == nullptr);
    // A kill sent would be in flight now and keep the button off until it is answered.
    CHECK(test::findButton(&f.page, QStringLiteral("Kill…"))->isEnabled());
    CHECK(test::serverState(f.session.client, f.train) == QLatin1String("staged"));
    CHECK(test::fetchBundle(f.session.client, f.train)[QLatin1String("attributes")]
              .toObject()[QLatin1String("metadata")]
              .toObject()[QLatin1String("actions")]
              .toArray()
              .isEmpty());
    CHECK(finished.isEmpty());

    box = f.openKillQuestion();
    f.page.selectRun(f.hello); // the question is about the run selected when it was asked
    box->button(QMessageBox::Yes)->click();
    REQUIRE(finished.wait(30000));
    CHECK(finished.first().at(0).toString() == f.train);
    CHECK(finished.first().at(1).toBool());
    CHECK(test::serverState(f.session.client, f.train) == QLatin1String("killed"));
    CHECK(test::serverState(f.session.client, f.hello) == QLatin1String("staged"));
    REQUIRE(spinUntil(
        [&] { return test::modelState(*f.page.model(), f.train) == QLatin1String("killed"); }, 30000));
    CHECK(f.page.bannerText().isEmpty());

    SECTION("a kill the server refuses is shown")
    {
        // Killed behind the page's back: the page still thinks it is staged.
        REQUIRE(test::waitApi(f.session.client.kill(f.hello)).ok());
        REQUIRE(f.page.selectRun(f.hello));
        f.openKillQuestion()->button(QMessageBox::Yes)->click();
        REQUIRE(finished.wait(30000));
        CHECK_FALSE(finished.last().at(1).toBool());
        CHECK(f.page.bannerText().startsWith(QLatin1String("Could not kill hello: ")));
        // The server's own words (upstream's): a finished bundle takes no more actions.
        CHECK(f.page.bannerText().contains(QLatin1String("in the following states: ready, failed, killed")));
    }
}

TEST_CASE("Rerun… hands over the request the run was made with", "[gui][myruns]")
{
    PageFixture f;
    server::RunRequest original
        = test::testRun(QStringLiteral("python eval.py 'a b'"), QStringLiteral("eval"));
    original.cpus = 2;
    original.time = QStringLiteral("1h");
    original.network = false;
    original.priority = 4;
    original.tags = QStringList { QStringLiteral("nightly") };
    original.dependencies
        = { { QStringLiteral("prev"), f.hello + QStringLiteral("/out"), f.hello, QStringLiteral("out") } };
    const QString uuid = test::submit(f.session.client, original);
    REQUIRE(test::refreshAndWait(*f.page.model()));
    REQUIRE(f.page.selectRun(uuid));

    std::optional<server::RunRequest> handed;
    QObject::connect(
        &f.page, &MyRunsPage::rerunRequested, [&handed](const server::RunRequest &r) { handed = r; });
    test::findButton(&f.page, QStringLiteral("Rerun…"))->click();
    REQUIRE(handed);
    CHECK(handed->toClCommand() == original.toClCommand());
    CHECK(*handed == original);
}

TEST_CASE("a double click or Enter on a run asks for its logs", "[gui][myruns]")
{
    PageFixture f;
    QSignalSpy logs(&f.page, &MyRunsPage::logsRequested);
    QTableView *table = f.page.table();
    const QModelIndex index
        = f.page.filterModel()->mapFromSource(f.page.model()->index(f.page.model()->rowOf(f.train), 1));
    const QPoint centre = table->visualRect(index).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, centre);
    CHECK(logs.isEmpty()); // a click only selects
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, centre);
    REQUIRE(logs.size() == 1);
    CHECK(logs.first().first().toString() == f.train);

    REQUIRE(f.page.selectRun(f.hello));
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Return);
    REQUIRE(logs.size() == 2);
    CHECK(logs.last().first().toString() == f.hello);
    test::findButton(&f.page, QStringLiteral("Logs"))->click();
    CHECK(logs.size() == 3);
}

TEST_CASE("no runs, a server that cannot be reached, and one that goes away", "[gui][myruns]")
{
    SECTION("a new user sees how to start")
    {
        test::LocalServerFixture server;
        test::ClientSession session(server.server->url(), QStringLiteral("codalab"), server.password);
        MyRunsPage page(&session.client);
        page.show();
        CHECK(page.placeholderText() == QStringLiteral("Loading your runs…"));
        REQUIRE(spinUntil([&] { return page.model()->hasLoaded(); }, 30000));
        CHECK(page.placeholderText() == QStringLiteral("No runs yet — submit one with Submit run…"));
    }
    SECTION("a server that is not there")
    {
        QTcpServer closed; // a port nobody listens on any more
        REQUIRE(closed.listen(QHostAddress::LocalHost, 0));
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(closed.serverPort());
        closed.close();
        test::ClientSession session(url, QStringLiteral("codalab"), QStringLiteral("x"));
        MyRunsPage page(&session.client);
        page.show();
        REQUIRE(spinUntil([&] { return !page.model()->errorString().isEmpty(); }, 30000));
        INFO(page.placeholderText().toStdString());
        CHECK(page.placeholderText().startsWith(QLatin1String("Cannot load your runs from the server.\n")));
        CHECK(page.placeholderText().contains(QLatin1String("refused"), Qt::CaseInsensitive));
    }
    SECTION("a server that goes away leaves the runs on show, with the error above them")
    {
        PageFixture f;
        f.server.server.reset();
        CHECK_FALSE(test::refreshAndWait(*f.page.model()));
        CHECK(f.page.model()->rowCount() == 4);
        CHECK(f.page.placeholderText().isEmpty());
        CHECK(f.page.bannerText().startsWith(QLatin1String("Could not refresh: ")));
    }
}

TEST_CASE("screenshot: my runs in every state, with a real worker", "[gui][myruns][screenshot]")
{
    test::WorkerProcess worker;
    worker.waitReady();
    test::ClientSession session(worker.serverUrl(), QStringLiteral("codalab"), worker.password());
    auto &client = session.client;

    const QString ready = test::submit(client,
        test::testRun(
            QStringLiteral("echo 'hello from CodaLab' && wc -c /etc/passwd"), QStringLiteral("hello-world")));
    REQUIRE(test::waitServerState(client, ready, QStringLiteral("ready"), 120000));
    const QString failed = test::submit(
        client, test::testRun(QStringLiteral("python train.py --epochs 10"), QStringLiteral("train-mnist")));
    REQUIRE(test::waitServerState(client, failed, QStringLiteral("failed"), 120000));
    auto staged
        = test::testRun(QStringLiteral("python finetune.py --gpus 4"), QStringLiteral("finetune-large"));
    staged.queue = QStringLiteral("gpu-box");
    staged.cpus = 8;
    staged.gpus = 4;
    staged.memory = QStringLiteral("64g");
    staged.image = QStringLiteral("codalab/default-gpu:latest");
    const QString stagedUuid = test::submit(client, staged);
    auto stopped = test::testRun(QStringLiteral("sh sweep.sh 0.01 0.1 1.0"), QStringLiteral("lr-sweep"));
    stopped.queue = QStringLiteral("gpu-box");
    const QString killed = test::submit(client, stopped);
    REQUIRE(test::waitServerState(client, killed, QStringLiteral("staged"), 30000));
    REQUIRE(test::waitApi(client.kill(killed)).ok());
    const QString running = test::submit(client,
        test::testRun(QStringLiteral("for i in $(seq 1 300); do echo step $i; sleep 1; done"),
            QStringLiteral("long-job")));
    REQUIRE(test::waitServerState(client, running, QStringLiteral("running"), 120000));
    REQUIRE(test::waitServerState(client, stagedUuid, QStringLiteral("staged"), 30000));

    MyRunsPage page(&client);
    page.setRefreshInterval(0);
    page.resize(1100, 680);
    page.show();
    REQUIRE(test::refreshAndWait(*page.model()));
    CHECK(page.model()->rowCount() == 5);
    CHECK(test::modelState(*page.model(), failed) == QLatin1String("failed"));
    // A run that ran and failed: where, how long, how it ended.
    REQUIRE(page.selectRun(failed));
    const RunDetailsPanel *details = page.details();
    CHECK(details->noticeText().startsWith(QLatin1String("Failed\n")));
    CHECK(details->fieldText(RunDetailsPanel::ExitCodeField) == QLatin1String("127")); // no python in busybox
    CHECK(details->fieldText(RunDetailsPanel::WorkerField) != QStringLiteral("—"));
    CHECK(details->fieldText(RunDetailsPanel::EndedField) != QStringLiteral("—"));
    CHECK(details->fieldText(RunDetailsPanel::ImageField)
              .startsWith(QLatin1String("codalab-test/busybox:latest")));
    CHECK_FALSE(test::findButton(&page, QStringLiteral("Kill…"))->isEnabled());

    REQUIRE(page.selectRun(stagedUuid));
    CHECK(page.details()->noticeText().contains(QLatin1String("with tag gpu-box")));
    test::saveScreenshot(&page, QStringLiteral("my-runs.png"));

    // The running one is killed through the page, on the worker: it ends as killed.
    REQUIRE(page.selectRun(running));
    QSignalSpy finished(&page, &MyRunsPage::killFinished);
    test::findButton(&page, QStringLiteral("Kill…"))->click();
    auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
    REQUIRE(box);
    box->button(QMessageBox::Yes)->click();
    REQUIRE(finished.wait(30000));
    CHECK(finished.first().at(1).toBool());
    REQUIRE(test::waitServerState(client, running, QStringLiteral("killed"), 60000));
}
