// SPDX-License-Identifier: GPL-3.0-or-later
// LogsPage: the empty state, a local run's files (and the screenshot), the worker's log, and a run on a
// real codalab-worker read through the REST API while it runs and once it is done, a local run that
// leaves the worker (kept, then switched to the server's copy), nothing read while the page is hidden, and
// the buttons' mnemonics.
#include "localserver/localserverfixture.h"
#include "logs/logsearchbar.h"
#include "logs/logsource.h"
#include "logs/logspage.h"
#include "logs/logview.h"
#include "server/codalabclient.h"
#include "server/runsubmission.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>

#include <catch2/catch.hpp>
#include <cmath>

using namespace codalab;
using test::spinUntil;
using ui::LogsPage;

namespace {

void write(const QString &path, const QByteArray &data)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Append));
    REQUIRE(file.write(data) == data.size());
}

/// What a training script prints: arguments, a progress bar redrawn with "\r", epochs, a checkpoint.
QByteArray trainingLog(int epochs)
{
    QByteArray out = "Namespace(arch='resnet18', batch_size=256, data='/data/imagenet-mini', epochs=150, "
                     "lr=0.1, momentum=0.9, seed=17, weight_decay=0.0001, workers=4)\n"
                     "=> creating model 'resnet18'\n"
                     "=> using 1 GPU: NVIDIA GeForce RTX 3090 (24 GiB)\n"
                     "=> loading 38,668 training and 3,923 validation images\n";
    double loss = 6.91;
    double top1 = 0.001;
    for (int epoch = 1; epoch <= epochs; ++epoch) {
        const double lr = epoch <= 60 ? 0.1 : epoch <= 120 ? 0.01 : 0.001;
        for (int step = 1; step <= 151; ++step) {
            const double t = (epoch - 1) * 151 + step;
            const double wobble = 0.04 * std::sin(t * 0.7) + 0.02 * std::sin(t * 0.13);
            loss = 0.62 + 6.29 * std::exp(-t / 2500.0) + wobble;
            top1 = 0.78 * (1 - std::exp(-t / 3000.0)) + wobble / 4;
            const double seconds = 0.40 + 0.03 * std::abs(std::sin(t));
            out += QStringLiteral("Epoch: [%1][%2/151]  Time %3 (0.428)  Data 0.007 (0.011)  Loss %4 (%5)  "
                                  "Acc@1 %6 (%7)  lr %8\n")
                       .arg(epoch)
                       .arg(step, 3)
                       .arg(seconds, 0, 'f', 3)
                       .arg(loss, 0, 'f', 4)
                       .arg(loss - wobble, 0, 'f', 4)
                       .arg(top1 * 100, 6, 'f', 2)
                       .arg((top1 - wobble / 4) * 100, 6, 'f', 2)
                       .arg(lr, 0, 'f', 4)
                       .toUtf8();
        }
        out += QStringLiteral(" * Epoch %1 validation  Acc@1 %2  Acc@5 %3  loss %4\n")
                   .arg(epoch)
                   .arg(top1 * 98, 0, 'f', 3)
                   .arg(qMin(99.0, top1 * 125), 0, 'f', 3)
                   .arg(loss * 1.1, 0, 'f', 4)
                   .toUtf8();
        out += "=> saved checkpoint to /codalab/run/checkpoints/epoch_" + QByteArray::number(epoch)
            + ".pth.tar\n";
    }
    out += "Validate: 100%|##########| 16/16 [00:04<00:00,  3.71it/s]\r\n";
    return out;
}

bool waitSearch(ui::LogView *view, const QString &text, bool *found)
{
    QSignalSpy done(view, &ui::LogView::searchFinished);
    view->find(text);
    if (!spinUntil([&] { return !done.isEmpty(); }, 60000)) {
        return false;
    }
    *found = done.first().first().toBool();
    return true;
}

} // namespace

TEST_CASE("the logs page says how to choose a run until one is shown", "[gui][logs][page]")
{
    LogsPage page;
    page.resize(800, 500);
    page.show();
    CHECK(page.isEmptyState());
    CHECK(page.title().isEmpty());

    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("worker.log")), "worker started\n");
    page.showWorkerLog(dir.filePath(QStringLiteral("worker.log")));
    CHECK_FALSE(page.isEmptyState());
    CHECK(page.title() == QLatin1String("Worker log"));
    REQUIRE(spinUntil(
        [&] { return page.workerLogView()->text().contains(QLatin1String("worker started")); }, 10000));

    page.clear();
    CHECK(page.isEmptyState());
    CHECK(page.workerLogView()->source() == nullptr);
}

TEST_CASE("screenshot: a local run's stdout and stderr", "[gui][logs][page][screenshot]")
{
    QTemporaryDir dir;
    const QString uuid = QStringLiteral("0x1234abcd5678ef901234abcd5678ef90");
    write(dir.filePath(QStringLiteral("stdout")), trainingLog(150)); // 2.6 MiB: more than a window
    write(dir.filePath(QStringLiteral("stderr")),
        "/usr/lib/python3/dist-packages/torch/utils/data/dataloader.py:557: UserWarning: This DataLoader "
        "will "
        "create 4 worker processes in total.\n");

    LogsPage page;
    page.resize(1000, 600);
    page.show();
    QSignalSpy titles(&page, &LogsPage::titleChanged);
    page.showLocalRun(uuid, dir.path());
    page.setRunState(QStringLiteral("running"));
    CHECK(page.title() == QStringLiteral("Run 0x1234abcd — running"));
    CHECK(titles.last().first().toString() == page.title());
    REQUIRE(spinUntil(
        [&] { return page.stdoutView()->text().contains(QLatin1String("epoch_150.pth.tar")); }, 10000));
    CHECK(page.stdoutView()->windowStart() > 0);
    CHECK(page.stdoutView()->positionText() == QLatin1String("Showing the last 2.0 MiB of 2.6 MiB"));
    REQUIRE(spinUntil([&] { return page.stderrView()->fileSize() > 0; }, 10000));
    const auto *tabs = page.findChild<QTabWidget *>();
    REQUIRE(tabs);
    CHECK(tabs->tabText(0) == QLatin1String("stdout (2.6 MiB)"));
    CHECK(tabs->tabText(1).startsWith(QLatin1String("stderr (")));

    // The run goes on writing: the page follows it.
    write(dir.filePath(QStringLiteral("stdout")), "Epoch: [13][ 50/151]  Time 0.409 (0.421)  Loss 2.1063\n");
    REQUIRE(
        spinUntil([&] { return page.stdoutView()->text().contains(QLatin1String("Epoch: [13]")); }, 10000));

    // Searching from the search bar, as a user does: Return in the field.
    page.stdoutView()->searchBar()->setText(QStringLiteral("epoch 147 validation"));
    QSignalSpy searched(page.stdoutView(), &ui::LogView::searchFinished);
    page.stdoutView()->searchBar()->requestSearch(false);
    REQUIRE(spinUntil([&] { return !searched.isEmpty(); }, 30000));
    CHECK(searched.first().first().toBool());
    REQUIRE(spinUntil(
        [&] { return page.stdoutView()->selectedText() == QLatin1String("Epoch 147 validation"); }, 10000));
    CHECK_FALSE(page.stdoutView()->isFollowing());
    test::saveScreenshot(&page, QStringLiteral("logs.png"));
}

TEST_CASE("a run on a worker is read through the REST API, while it runs and when it is done",
    "[gui][logs][page][remote]")
{
    test::WorkerProcess worker;
    worker.waitReady();
    test::ClientSession session(worker.serverUrl(), QStringLiteral("codalab"), worker.password());
    auto &client = session.client;

    const QString running = test::submit(client,
        test::testRun(
            QStringLiteral("for i in $(seq 1 40); do echo step $i; sleep 0.5; done; echo done >&2")));
    LogsPage page;
    page.resize(900, 500);
    page.show();
    page.showRemoteRun(&client, running);
    page.stdoutView()->setPollIntervalMs(100);
    CHECK(page.title().startsWith(QLatin1String("Run ") + running.left(10)));
    // Before its container writes, there is nothing: not an error. Then it grows and the page follows.
    REQUIRE(spinUntil([&] { return page.stdoutView()->text().contains(QLatin1String("step 2\n")); }, 120000));
    REQUIRE(spinUntil([&] { return page.stdoutView()->text().contains(QLatin1String("step 6\n")); }, 60000));
    CHECK(spinUntil([&] { return page.title().endsWith(QStringLiteral("— running")); }, 10000));
    CHECK(page.stdoutView()->statusText().isEmpty());

    // A finished run with more output than one search chunk: the tail, then a search by range reads.
    const QString done = test::submit(client,
        test::testRun(
            QStringLiteral("seq 1 250000; echo 'MARKER remote'; seq 1 1000; echo 'a warning' >&2")));
    REQUIRE(
        spinUntil([&] { return test::serverState(client, done) == QLatin1String("ready"); }, 120000, 200));
    page.showRemoteRun(&client, done);
    REQUIRE(
        spinUntil([&] { return page.stdoutView()->text().endsWith(QLatin1String("\n999\n1000\n")); }, 30000));
    CHECK(page.stdoutView()->fileSize() > 1024 * 1024);
    CHECK(page.stdoutView()->windowStart() > 0);
    REQUIRE(spinUntil([&] { return page.title().endsWith(QStringLiteral("— ready")); }, 30000));
    bool found = false;
    REQUIRE(waitSearch(page.stdoutView(), QStringLiteral("MARKER remote"), &found));
    CHECK(found);
    REQUIRE(spinUntil(
        [&] { return page.stdoutView()->selectedText() == QLatin1String("MARKER remote"); }, 30000));
    page.findChild<QTabWidget *>()->setCurrentWidget(page.stderrView());
    REQUIRE(spinUntil([&] { return page.stderrView()->text() == QLatin1String("a warning\n"); }, 30000));

    // The same run as the Dashboard shows it while on this worker, from a directory the worker has since
    // deleted; the user reads its start. The app switches to the server: the text, the tab and the place
    // stay, and what is read is now the server's copy.
    QTemporaryDir local;
    write(local.filePath(QStringLiteral("stdout")), "1\n2\n3\n");
    page.showLocalRun(done, local.path());
    REQUIRE(spinUntil([&] { return page.stdoutView()->text() == QLatin1String("1\n2\n3\n"); }, 10000));
    page.stdoutView()->jumpToStart();
    REQUIRE_FALSE(page.stdoutView()->isFollowing());
    REQUIRE(QFile::remove(local.filePath(QStringLiteral("stdout"))));
    REQUIRE(spinUntil([&] { return page.stdoutView()->fileSize() == ui::LogSource::Missing; }, 10000));
    CHECK(page.stdoutView()->text() == QLatin1String("1\n2\n3\n"));
    CHECK(page.isShowingLocalRun());
    page.switchToRemote(&client);
    CHECK_FALSE(page.isShowingLocalRun());
    CHECK(page.currentRunUuid() == done);
    REQUIRE(spinUntil([&] { return page.stdoutView()->fileSize() > 1024 * 1024; }, 30000));
    REQUIRE(spinUntil([&] { return page.stdoutView()->text().size() > 1000; }, 30000));
    CHECK(page.stdoutView()->windowStart() == 0); // the start, where the user was, not the end
    CHECK(page.stdoutView()->text().startsWith(QLatin1String("1\n2\n3\n4\n")));
    CHECK_FALSE(page.stdoutView()->isFollowing());
    CHECK(page.stdoutView()->statusText().isEmpty());
    REQUIRE(spinUntil([&] { return page.title().endsWith(QStringLiteral("— ready")); }, 30000));
}

TEST_CASE("a local run whose directory is deleted keeps its output; the page switches to the server",
    "[gui][logs][page]")
{
    test::LocalServerFixture server;
    test::ClientSession session(server.server->url(), QStringLiteral("codalab"), server.password);
    const QString uuid = test::submit(session.client, test::testRun(QStringLiteral("echo hi")));

    auto runDir = std::make_unique<QTemporaryDir>();
    write(runDir->filePath(QStringLiteral("stdout")), "epoch 1 done\nepoch 2 done\n");
    LogsPage page;
    page.resize(900, 500);
    page.show();
    page.showLocalRun(uuid, runDir->path());
    page.setRunState(QStringLiteral("running"));
    CHECK(page.isShowingLocalRun());
    CHECK(page.currentRunUuid() == uuid);
    REQUIRE(spinUntil(
        [&] { return page.stdoutView()->text().contains(QLatin1String("epoch 2 done\n")); }, 10000));

    runDir.reset(); // the run finished and the worker removed its directory
    REQUIRE(spinUntil([&] { return page.stdoutView()->fileSize() == ui::LogSource::Missing; }, 10000));
    CHECK(page.stdoutView()->text() == QLatin1String("epoch 1 done\nepoch 2 done\n"));
    CHECK(page.stdoutView()->statusText().contains(QLatin1String("the run finished")));
    CHECK(page.stdoutView()->statusText().contains(QLatin1String("on the server")));

    // The server has no output for this run (it never ran): the text the user read stays.
    page.switchToRemote(&session.client);
    CHECK_FALSE(page.isShowingLocalRun());
    CHECK(page.currentRunUuid() == uuid);
    REQUIRE(spinUntil([&] { return page.title().endsWith(QStringLiteral("— staged")); }, 20000));
    REQUIRE(
        spinUntil([&] { return page.stdoutView()->statusText().contains(QLatin1String("server")); }, 20000));
    CHECK(page.stdoutView()->text() == QLatin1String("epoch 1 done\nepoch 2 done\n"));
    CHECK(page.stdoutView()->fileSize() == ui::LogSource::Missing);

    // Nothing to switch from: a remote run, the worker's log, nothing.
    page.switchToRemote(&session.client);
    CHECK(page.currentRunUuid() == uuid);
    page.clear();
    CHECK(page.currentRunUuid().isEmpty());
    page.switchToRemote(&session.client);
    CHECK(page.isEmptyState());
}

TEST_CASE("a hidden page makes no requests; shown again, it refreshes at once", "[gui][logs][page]")
{
    SECTION("a local run's files")
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("stdout")), "first\n");
        write(dir.filePath(QStringLiteral("stderr")), "warn\n");
        LogsPage page;
        page.resize(900, 500);
        page.showLocalRun(QStringLiteral("0xabc"), dir.path()); // not shown yet
        page.stdoutView()->setPollIntervalMs(10);
        page.stderrView()->setPollIntervalMs(10);
        QList<std::shared_ptr<QSignalSpy>> spies;
        for (ui::LogView *view : { page.stdoutView(), page.stderrView() }) {
            spies.append(std::make_shared<QSignalSpy>(view->source(), &ui::LogSource::sizeKnown));
            spies.append(std::make_shared<QSignalSpy>(view->source(), &ui::LogSource::rangeRead));
        }
        const auto quiet = [&] {
            return std::all_of(spies.begin(), spies.end(), [](const auto &spy) { return spy->isEmpty(); });
        };
        spinUntil([] { return false; }, 300);
        CHECK(quiet());

        page.show();
        REQUIRE(spinUntil([&] { return page.stdoutView()->text() == QLatin1String("first\n"); }, 10000));
        // The tab behind follows too, while the page shows: its size is in its tab.
        REQUIRE(spinUntil([&] { return page.stderrView()->fileSize() == 5; }, 10000));

        page.hide();
        spinUntil([] { return false; }, 100); // answers already on their way
        for (const auto &spy : spies) {
            spy->clear();
        }
        write(dir.filePath(QStringLiteral("stdout")), "second\n");
        spinUntil([] { return false; }, 400);
        CHECK(quiet());

        page.show();
        REQUIRE(
            spinUntil([&] { return page.stdoutView()->text().contains(QLatin1String("second\n")); }, 10000));
    }
    SECTION("a remote run's state and files")
    {
        test::LocalServerFixture server;
        test::ClientSession session(server.server->url(), QStringLiteral("codalab"), server.password);
        const QString uuid = test::submit(session.client, test::testRun(QStringLiteral("echo hi")));
        QSignalSpy requests(&session.nam, &QNetworkAccessManager::finished);
        LogsPage page;
        page.resize(900, 500);
        page.showRemoteRun(&session.client, uuid); // hidden: neither the state nor the files are read
        spinUntil([] { return false; }, 500);
        CHECK(requests.isEmpty());

        page.show();
        REQUIRE(spinUntil([&] { return page.title().endsWith(QStringLiteral("— staged")); }, 20000));
        CHECK_FALSE(requests.isEmpty());

        page.hide();
        spinUntil([] { return false; }, 500); // answers already on their way
        requests.clear();
        spinUntil([] { return false; }, 3500); // more than the state's poll interval
        CHECK(requests.isEmpty());

        page.show(); // at once, not after a tick
        REQUIRE(spinUntil([&] { return !requests.isEmpty(); }, 1000));
    }
}

TEST_CASE("the buttons of a log have mnemonics that clash with nothing", "[gui][logs][page]")
{
    QTemporaryDir dir;
    write(dir.filePath(QStringLiteral("stdout")), "x\n");
    LogsPage page;
    page.resize(900, 500);
    page.show();
    page.showLocalRun(QStringLiteral("0xabc"), dir.path());
    // The main window's pages and menus (ui/shell): Dashboard, Logs, My runs, Machine, Caches, File, View,
    // Worker, Help.
    QString taken = QStringLiteral("DLMACFVWH");
    QStringList texts;
    for (QAbstractButton *button : page.stdoutView()->findChildren<QAbstractButton *>()) {
        if (qobject_cast<QPushButton *>(button) || qobject_cast<QCheckBox *>(button)) {
            texts.append(button->text());
        }
    }
    REQUIRE(texts.size() >= 7); // Start, Load earlier, End, Follow, Previous, Next, Stop
    texts.append(test::findButton(&page, QStringLiteral("Follow newest run"))->text()); // the page's own
    for (const QString &text : std::as_const(texts)) {
        INFO(text.toStdString());
        const QKeySequence mnemonic = QKeySequence::mnemonic(text);
        REQUIRE_FALSE(mnemonic.isEmpty());
        const QChar letter = text.at(text.indexOf(QLatin1Char('&')) + 1).toUpper();
        CHECK_FALSE(taken.contains(letter));
        taken.append(letter);
    }
}
