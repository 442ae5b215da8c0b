// SPDX-License-Identifier: GPL-3.0-or-later
// The journey of a local folder with a real codalab-worker --local and Docker: used as a dependency in the
// submission dialog, it is uploaded when the run is submitted, the run reads a file of it (its stdout proves
// it), the outputs are saved by themselves once it finishes and compared byte for byte, and a second run on
// the same unchanged folder uses the bundle already sent; a changed folder is sent again.
#include "bundles/bundlespage.h"
#include "bundles/outputsaver.h"
#include "bundles/transferqueue.h"
#include "common/workerlink.h"
#include "server/uploadcache.h"
#include "submit/dependencymodel.h"
#include "submit/submitrundialog.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"
#include "support/testfiles.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;
using ui::SubmitRunDialog;

namespace {

/// Submits `command` with `folder` as dependency "code" from a fresh dialog; the run's uuid.
QString submitWithLocalFolder(server::CodaLabClient &client, ui::WorkerLink &link, server::UploadCache &cache,
    const QString &folder, const QString &saveTo, QString *dependencyUuid, bool *reused)
{
    SubmitRunDialog dialog(&client, &link, nullptr, nullptr);
    dialog.setUploadCache(&cache);
    QSignalSpy submitted(&dialog, &SubmitRunDialog::submitted);
    dialog.show();
    server::RunRequest request = test::testRun(
        QStringLiteral("cat code/data.txt && echo done > result.txt"), QStringLiteral("reads-local"));
    request.queue = link.status().value(QLatin1String("tag")).toString();
    dialog.setRequest(request);
    const int row = dialog.dependencyModel()->appendRow(QStringLiteral("code"), folder);
    CHECK(dialog.dependencyModel()->problem(row).isEmpty());
    CHECK(dialog.dependencyModel()
              ->index(row, ui::DependencyModel::StatusColumn)
              .data()
              .toString()
              .contains(QLatin1String("uploaded when you submit")));
    // The preview says what will happen: an upload, then the run on that bundle.
    CHECK(dialog.request().toClCommand().startsWith(QStringLiteral("cl upload ")));
    if (!saveTo.isEmpty()) {
        dialog.saveOutputsBox()->setChecked(true);
        dialog.saveOutputsEdit()->setText(saveTo);
    }
    // What the dialog said on the way: an upload, or the bundle already there.
    QStringList said;
    auto *status = dialog.findChild<QLabel *>(QStringLiteral("status"));
    REQUIRE(status);
    QTimer watch;
    QObject::connect(&watch, &QTimer::timeout, &dialog, [&] {
        if (said.isEmpty() || said.last() != status->text()) {
            said << status->text();
        }
    });
    watch.start(1);
    dialog.submit();
    REQUIRE(submitted.wait(60000));
    // The submission's uploaded() reached the model: the row names the bundle now.
    *dependencyUuid = dialog.request().dependencies.first().parentUuid;
    *reused = !said.filter(QStringLiteral("on the server already")).isEmpty();
    return submitted.first().first().toString();
}

} // namespace

TEST_CASE(
    "a local folder as a dependency: uploaded at submit, read by the run, outputs saved, reused unchanged",
    "[gui][bundles][worker]")
{
    test::WorkerProcess worker({ QStringLiteral("--tag"), QStringLiteral("desk") });
    worker.waitReady();
    ui::WorkerLink link;
    REQUIRE(test::connectLink(link, worker));
    test::ClientSession s(worker.serverUrl(), QStringLiteral("codalab"), worker.password());
    QTemporaryDir work;
    const QString folder = work.filePath(QStringLiteral("my code"));
    test::writeFile(folder + QStringLiteral("/data.txt"), "hello from a local folder\n");
    server::UploadCache cache(work.filePath(QStringLiteral("uploads.json")));
    ui::TransferQueue transfers;
    ui::BundlesPage page(&s.client, &transfers);
    ui::OutputSaver saver(&s.client, &page, &transfers);
    saver.setPollIntervalMs(300);

    QString dependency;
    bool reused = true;
    const QString outputs = work.filePath(QStringLiteral("outputs"));
    const QString run = submitWithLocalFolder(s.client, link, cache, folder, outputs, &dependency, &reused);
    CHECK_FALSE(reused);
    REQUIRE(dependency.startsWith(QLatin1String("0x")));
    saver.watch(run, QStringLiteral("reads-local"), outputs);
    CHECK(transfers.transfers().last().stage == QLatin1String("Waiting for the run to finish"));

    QSignalSpy saved(&transfers, &ui::TransferQueue::saveFinished);
    REQUIRE(spinUntil([&] { return !saved.isEmpty(); }, 120000));
    INFO(worker.log().toStdString());
    INFO(saved.first().at(2).toString().toStdString());
    REQUIRE(saved.first().at(1).toBool());
    CHECK(test::serverState(s.client, run) == QLatin1String("ready"));
    const QString savedRun = outputs + QStringLiteral("/reads-local");
    QFile out(savedRun + QStringLiteral("/stdout"));
    REQUIRE(out.open(QIODevice::ReadOnly));
    CHECK(out.readAll() == "hello from a local folder\n"); // the run read the uploaded folder
    const server::ApiResult served
        = test::waitApi(s.client.readRange(run, QStringLiteral("result.txt"), 0, 100));
    QFile result(savedRun + QStringLiteral("/result.txt"));
    REQUIRE(result.open(QIODevice::ReadOnly));
    CHECK(result.readAll() == served.body); // byte for byte what the server has

    // Unchanged: the second run uses the bundle already sent.
    QString again;
    const QString run2 = submitWithLocalFolder(s.client, link, cache, folder, {}, &again, &reused);
    CHECK(reused);
    CHECK(again == dependency);
    // Changed: sent again, as a new bundle.
    test::writeFile(folder + QStringLiteral("/data.txt"), "edited\n");
    QString third;
    submitWithLocalFolder(s.client, link, cache, folder, {}, &third, &reused);
    CHECK_FALSE(reused);
    CHECK(third != dependency);
    CHECK(spinUntil([&] { return test::serverState(s.client, run2) == QLatin1String("ready"); }, 60000));
}
