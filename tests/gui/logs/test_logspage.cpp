// SPDX-License-Identifier: GPL-3.0-or-later
// LogsPage: the empty state, a local run's files (and the screenshot), the worker's log, and a run on a
// real codalab-worker read through the REST API while it runs and once it is done.
#include "logs/logsearchbar.h"
#include "logs/logsource.h"
#include "logs/logspage.h"
#include "logs/logview.h"
#include "server/codalabclient.h"
#include "server/runsubmission.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
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

/// A run with the test image and little memory, as the worker tests use.
server::RunRequest testRun(const QString &command)
{
    server::RunRequest r;
    r.command = command;
    r.name = QStringLiteral("logs-test");
    r.image = QStringLiteral("codalab-test/busybox:latest");
    r.memory = QStringLiteral("64m");
    return r;
}

QString submit(server::CodaLabClient &client, const server::RunRequest &request)
{
    server::RunSubmission *submission = client.submitRun(request);
    QSignalSpy done(submission, &server::RunSubmission::finished);
    REQUIRE(done.wait(30000));
    const auto result = done.first().first().value<server::ApiResult>();
    INFO(result.error.message.toStdString());
    REQUIRE(result.ok());
    return result.json.object()[QLatin1String("data")]
        .toArray()
        .first()
        .toObject()[QLatin1String("id")]
        .toString();
}

QString serverState(server::CodaLabClient &client, const QString &uuid)
{
    const server::ApiResult r = test::waitApi(client.bundle(uuid));
    REQUIRE(r.ok());
    return r.json.object()[QLatin1String("data")]
        .toObject()[QLatin1String("attributes")]
        .toObject()[QLatin1String("state")]
        .toString();
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
    write(dir.filePath(QStringLiteral("stdout")), trainingLog(150)); // about 2.6 MB: more than a window
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
    CHECK(page.stdoutView()->positionText().startsWith(QLatin1String("Showing the last 2.00 MB of 2.5")));
    REQUIRE(spinUntil([&] { return page.stderrView()->fileSize() > 0; }, 10000));
    const auto *tabs = page.findChild<QTabWidget *>();
    REQUIRE(tabs);
    CHECK(tabs->tabText(0).startsWith(QLatin1String("stdout (")));
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

    const QString running = submit(client,
        testRun(QStringLiteral("for i in $(seq 1 40); do echo step $i; sleep 0.5; done; echo done >&2")));
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
    const QString done = submit(client,
        testRun(QStringLiteral("seq 1 250000; echo 'MARKER remote'; seq 1 1000; echo 'a warning' >&2")));
    REQUIRE(spinUntil([&] { return serverState(client, done) == QLatin1String("ready"); }, 120000, 200));
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
}
