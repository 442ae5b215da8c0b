// SPDX-License-Identifier: GPL-3.0-or-later
// The dialog beside a real codalab-worker --local: the worker's tag as the default queue, the fit check
// from its status, local Docker images offered, and a run submitted here that this worker runs.
#include "common/desktopsettings.h"
#include "common/workerlink.h"
#include "docker/dockerclient.h"
#include "server/apijob.h"
#include "submit/dependencymodel.h"
#include "submit/imagecombobox.h"
#include "submit/submitrundialog.h"
#include "submittestsupport.h"
#include "support/codalabtestdata.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QAbstractButton>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::child;
using codalab::test::spinUntil;
using codalab::test::typeInto;
using codalab::ui::SubmitRunDialog;

TEST_CASE("a run submitted from the dialog lands on this workstation's worker", "[gui][submit][worker]")
{
    test::WorkerProcess worker({ QStringLiteral("--tag"), QStringLiteral("desk") });
    worker.waitReady();
    ui::WorkerLink link;
    REQUIRE(test::connectLink(link, worker));
    test::ClientSession s(worker.serverUrl(), QStringLiteral("codalab"), worker.password());
    test::HttpTestClient http { QUrl(worker.serverUrl()) };
    http.login(QStringLiteral("codalab"), worker.password());
    // One file uploaded alone is the bundle itself, as upstream stores it: "data: mnist" is that file.
    test::createDataset(http, QStringLiteral("mnist"), QStringLiteral("train.csv"), "1,a\n2,b\n3,c\n");
    docker::DockerClient docker;
    QTemporaryDir dir;
    QSettings qs(dir.filePath(QStringLiteral("desktop.conf")), QSettings::IniFormat);
    ui::DesktopSettings settings(&qs);

    {
        // A filled dialog, as the screenshot shows it: one dependency found, one not, and a run that asks
        // for GPUs this worker does not have.
        SubmitRunDialog dialog(&s.client, &link, &docker, &settings);
        auto *image = child<ui::ImageComboBox>(&dialog, "image");
        QSignalSpy imagesLoaded(image, &ui::ImageComboBox::localImagesLoaded);
        dialog.resize(860, 720);
        dialog.show();
        REQUIRE(QTest::qWaitForWindowExposed(&dialog));
        CHECK(child<QLineEdit>(&dialog, "queue")->text() == QLatin1String("desk"));
        REQUIRE((!imagesLoaded.isEmpty() || imagesLoaded.wait(20000)));
        CHECK(image->offeredImages().contains(QLatin1String("codalab-test/busybox:latest")));

        typeInto(child<QPlainTextEdit>(&dialog, "command"),
            QStringLiteral("python train.py --epochs 10 --data data/train.csv"));
        typeInto(image, QStringLiteral("pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime"));
        typeInto(child<QSpinBox>(&dialog, "gpus"), QStringLiteral("2"));
        typeInto(child<QLineEdit>(&dialog, "memory"), QStringLiteral("16g"));
        typeInto(child<QLineEdit>(&dialog, "time"), QStringLiteral("3h"));
        typeInto(child<QLineEdit>(&dialog, "description"), QStringLiteral("Baseline CNN on MNIST"));
        typeInto(child<QLineEdit>(&dialog, "tags"), QStringLiteral("mnist, baseline"));
        test::addDependencyRow(dialog, QStringLiteral("data"), QStringLiteral("mnist"));
        test::addDependencyRow(dialog, QStringLiteral("glove"), QStringLiteral("glove-6b/vectors.txt"));
        // A folder of this computer, uploaded when the run is submitted.
        QDir(dir.path()).mkpath(QStringLiteral("code"));
        dialog.dependencyModel()->appendRow(QString(), dir.filePath(QStringLiteral("code")));
        test::waitDependencies(dialog);
        CHECK(dialog.dependencyModel()->problem(2).isEmpty());
        CHECK(dialog.dependencyModel()->problem(0).isEmpty());
        CHECK(dialog.dependencyModel()->problem(1) == QLatin1String("No bundle found with name glove-6b"));
        CHECK(dialog.fitWarnings().contains(QStringLiteral("Asks for 2 GPU(s); your worker has none.")));
        CHECK(child<QLabel>(&dialog, "fitCheck")->isVisible());
        child<QPlainTextEdit>(&dialog, "command")->setFocus();
        test::saveScreenshot(&dialog, QStringLiteral("submit-dialog.png"));
    }

    SubmitRunDialog dialog(&s.client, &link, &docker, &settings);
    QSignalSpy submitted(&dialog, &SubmitRunDialog::submitted);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    typeInto(child<QPlainTextEdit>(&dialog, "command"), QStringLiteral("wc -l data"));
    typeInto(child<ui::ImageComboBox>(&dialog, "image"), QStringLiteral("codalab-test/busybox:latest"));
    test::addDependencyRow(dialog, QStringLiteral("data"), QStringLiteral("mnist"));
    test::waitDependencies(dialog);
    INFO(dialog.fitWarnings().join(QLatin1Char('\n')).toStdString());
    CHECK(dialog.fitWarnings().isEmpty());
    CHECK(dialog.request().queue == QLatin1String("desk"));
    QTest::mouseClick(test::findButton(&dialog, QStringLiteral("Submit")), Qt::LeftButton);
    REQUIRE(submitted.wait(30000));
    const QString uuid = submitted.first().first().toString();

    // The worker takes it (the dashboard's runs come from this status) and the server hears it finish.
    bool seenOnWorker = false;
    QString state;
    const bool finished = spinUntil(
        [&] {
            for (const QJsonValue &run : link.status().value(QLatin1String("runs")).toArray()) {
                seenOnWorker = seenOnWorker || run.toObject().value(QLatin1String("uuid")).toString() == uuid;
            }
            // (The HTTP client's token went when the dialog's client logged in as the same user.)
            const server::ApiResult r = test::waitApi(s.client.bundle(uuid));
            state = r.json.object()[QLatin1String("data")]
                        .toObject()[QLatin1String("attributes")]
                        .toObject()[QLatin1String("state")]
                        .toString();
            return state == QLatin1String("ready") || state == QLatin1String("failed");
        },
        60000, 100);
    INFO(worker.log().toStdString());
    REQUIRE(finished);
    CHECK(state == QLatin1String("ready"));
    CHECK((seenOnWorker || link.status().value(QLatin1String("runs_started")).toInt() >= 1));
    const server::ApiResult out = test::waitApi(s.client.readRange(uuid, QStringLiteral("stdout"), 0, 1000));
    CHECK(out.body.trimmed() == "3 data");
    CHECK(settings.recentImages() == QStringList { QStringLiteral("codalab-test/busybox:latest") });
}
