// SPDX-License-Identifier: GPL-3.0-or-later
// The run-submission dialog typed into with QTest: the exact RunRequest and `cl run` line it makes,
// invalid fields marked with nothing sent, a real submission to a local server, and a rerun's prefill.
#include "common/desktopsettings.h"
#include "localserver/localserverfixture.h"
#include "server/apijob.h"
#include "submit/dependencymodel.h"
#include "submit/imagecombobox.h"
#include "submit/priorityspinbox.h"
#include "submit/submitrundialog.h"
#include "submittestsupport.h"
#include "support/codalabtestdata.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QClipboard>
#include <QGuiApplication>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
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

namespace {

/// Bundles of the local server's root user, as the REST API counts them.
int bundleCount(test::ClientSession &s)
{
    const server::ApiResult r
        = test::waitApi(s.client.search({ QStringLiteral(".mine"), QStringLiteral(".count") }));
    REQUIRE(r.ok());
    return r.json.object()[QLatin1String("meta")].toObject()[QLatin1String("result")].toInt();
}

QJsonObject bundleAttributes(test::ClientSession &s, const QString &uuid)
{
    const server::ApiResult r = test::waitApi(s.client.bundle(uuid));
    REQUIRE(r.ok());
    return r.json.object()[QLatin1String("data")].toObject()[QLatin1String("attributes")].toObject();
}

} // namespace

TEST_CASE("what is typed becomes the exact request and cl run line", "[gui][submit][dialog]")
{
    // Nothing listens here: the dialog must not need the server to build a request.
    test::ClientSession s(
        QStringLiteral("http://127.0.0.1:9"), QStringLiteral("codalab"), QStringLiteral("x"));
    QSignalSpy requests(&s.nam, &QNetworkAccessManager::finished);
    SubmitRunDialog dialog(&s.client, nullptr, nullptr, nullptr);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    auto *preview = child<QLineEdit>(&dialog, "preview");
    auto *name = child<QLineEdit>(&dialog, "name");

    CHECK(preview->text() == QLatin1String("cl run ''"));
    typeInto(child<QPlainTextEdit>(&dialog, "command"), QStringLiteral("python train.py --lr 0.1"));
    CHECK(preview->text() == QLatin1String("cl run 'python train.py --lr 0.1'"));
    CHECK(name->placeholderText() == QLatin1String("run-python"));

    typeInto(child<ui::ImageComboBox>(&dialog, "image"), QStringLiteral("python:3.12"));
    typeInto(child<QLineEdit>(&dialog, "queue"), QStringLiteral("gpu-box"));
    typeInto(child<QSpinBox>(&dialog, "cpus"), QStringLiteral("4"));
    typeInto(child<QSpinBox>(&dialog, "gpus"), QStringLiteral("2"));
    typeInto(child<QLineEdit>(&dialog, "memory"), QStringLiteral("8g"));
    typeInto(child<QLineEdit>(&dialog, "disk"), QStringLiteral("20g"));
    typeInto(child<QLineEdit>(&dialog, "time"), QStringLiteral("3h"));
    typeInto(child<ui::PrioritySpinBox>(&dialog, "priority"), QStringLiteral("5"));
    QTest::mouseClick(child<QCheckBox>(&dialog, "network"), Qt::LeftButton, {}, QPoint(5, 5));
    typeInto(name, QStringLiteral("train-1"));
    typeInto(child<QLineEdit>(&dialog, "description"), QStringLiteral("first try"));
    typeInto(child<QLineEdit>(&dialog, "tags"), QStringLiteral("ml, nightly  exp"));
    typeInto(child<QLineEdit>(&dialog, "worksheet"), QStringLiteral("ws1"));

    server::RunRequest expected;
    expected.command = QStringLiteral("python train.py --lr 0.1");
    expected.image = QStringLiteral("python:3.12");
    expected.queue = QStringLiteral("gpu-box");
    expected.cpus = 4;
    expected.gpus = 2;
    expected.memory = QStringLiteral("8g");
    expected.disk = QStringLiteral("20g");
    expected.time = QStringLiteral("3h");
    expected.priority = 5;
    expected.network = false;
    expected.name = QStringLiteral("train-1");
    expected.description = QStringLiteral("first try");
    expected.tags = QStringList { QStringLiteral("ml"), QStringLiteral("nightly"), QStringLiteral("exp") };
    expected.worksheet = QStringLiteral("ws1");
    const server::RunRequest r = dialog.request();
    CHECK(r.network == false);
    CHECK(r.priority == std::optional<int>(5));
    CHECK(r.tags == expected.tags);
    test::requireSameRequest(r, expected);
    CHECK(preview->text().toStdString() == expected.toClCommand().toStdString());
    CHECK(preview->text().toStdString()
        == "cl run 'python train.py --lr 0.1' --name train-1 --description 'first try' "
           "--request-docker-image "
           "python:3.12 --request-queue gpu-box --request-cpus 4 --request-gpus 2 --request-memory 8g "
           "--request-disk 20g --request-time 3h --request-priority 5 --tags ml nightly exp -w ws1 "
           "# no network: request_network false has no cl run flag");
    CHECK(dialog.problems().isEmpty());

    QTest::mouseClick(test::findButton(&dialog, QStringLiteral("Copy")), Qt::LeftButton);
    CHECK(QGuiApplication::clipboard()->text() == preview->text());

    SECTION("fields emptied again fall back to the defaults")
    {
        typeInto(child<ui::ImageComboBox>(&dialog, "image"), {});
        typeInto(child<QLineEdit>(&dialog, "memory"), {});
        typeInto(name, {});
        auto *priority = child<ui::PrioritySpinBox>(&dialog, "priority");
        for (int step = 0; step < 6; ++step) { // 5 down to 0, then "default"
            QTest::keyClick(priority, Qt::Key_Down);
        }
        CHECK(priority->text() == QLatin1String("default"));
        const server::RunRequest cleared = dialog.request();
        CHECK(cleared.image.isEmpty());
        CHECK(cleared.memory == QLatin1String("2g"));
        CHECK(cleared.name.isEmpty());
        CHECK_FALSE(cleared.priority.has_value());
        CHECK(preview->text().startsWith(QLatin1String("cl run 'python train.py --lr 0.1' --description")));
    }
    CHECK(requests.isEmpty());
}

TEST_CASE("invalid fields are marked where they are and nothing is sent", "[gui][submit][dialog]")
{
    test::LocalServerFixture f;
    test::ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password);
    auto http = f.root();
    test::createDataset(*http, QStringLiteral("mnist"));
    const int bundlesBefore = bundleCount(s);
    QSignalSpy requests(&s.nam, &QNetworkAccessManager::finished);

    SubmitRunDialog dialog(&s.client, nullptr, nullptr, nullptr);
    QSignalSpy submitted(&dialog, &SubmitRunDialog::submitted);
    dialog.resize(760, 720);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    typeInto(child<QLineEdit>(&dialog, "memory"), QStringLiteral("2 gigs"));
    typeInto(child<QLineEdit>(&dialog, "time"), QStringLiteral("soon"));
    QTest::mouseClick(test::findButton(&dialog, QStringLiteral("Submit")), Qt::LeftButton);

    CHECK(dialog.markedFields()
        == QStringList { QStringLiteral("command"), QStringLiteral("memory"), QStringLiteral("time") });
    CHECK(dialog.fieldMessage(QStringLiteral("command")) == QLatin1String("a run needs a command"));
    CHECK(dialog.fieldMessage(QStringLiteral("memory"))
        == QLatin1String("Invalid size: 2 gigs, expected <number>[<k|m|g|t>]"));
    CHECK(dialog.fieldMessage(QStringLiteral("time")).startsWith(QLatin1String("Invalid duration: soon")));
    auto *memory = child<QLineEdit>(&dialog, "memory");
    CHECK(memory->property("invalid").toBool());
    CHECK(memory->toolTip() == dialog.fieldMessage(QStringLiteral("memory")));
    CHECK(child<QLabel>(&dialog, "memoryMessage")->isVisible());
    CHECK(dialog.focusWidget() == child<QPlainTextEdit>(&dialog, "command"));
    CHECK(child<QLabel>(&dialog, "status")->text().startsWith(QLatin1String("Nothing was sent")));
    CHECK_FALSE(dialog.isSubmitting());
    test::saveScreenshot(&dialog, QStringLiteral("submit-dialog-invalid.png"));

    // Correcting a field takes its mark away at once.
    typeInto(memory, QStringLiteral("2g"));
    CHECK_FALSE(memory->property("invalid").toBool());
    CHECK_FALSE(child<QLabel>(&dialog, "memoryMessage")->isVisible());
    CHECK(dialog.markedFields() == QStringList { QStringLiteral("command"), QStringLiteral("time") });

    SECTION("a dependency the server does not know is marked, and still nothing is created")
    {
        typeInto(child<QPlainTextEdit>(&dialog, "command"), QStringLiteral("wc -l data"));
        typeInto(child<QLineEdit>(&dialog, "time"), QStringLiteral("1h"));
        test::addDependencyRow(dialog, QStringLiteral("data"), QStringLiteral("mnist"));
        test::addDependencyRow(dialog, QStringLiteral("extra"), QStringLiteral("no-such-bundle"));
        test::waitDependencies(dialog);
        const int lookups = int(requests.size());
        CHECK(lookups > 0);
        QTest::mouseClick(test::findButton(&dialog, QStringLiteral("Submit")), Qt::LeftButton);
        CHECK(dialog.markedFields() == QStringList { QStringLiteral("dependencies") });
        CHECK(dialog.fieldMessage(QStringLiteral("dependencies"))
            == QLatin1String("row 2: No bundle found with name no-such-bundle"));
        CHECK(dialog.focusWidget() == child<QWidget>(&dialog, "dependencies"));
        CHECK(requests.size() == lookups); // the click itself sent nothing
    }
    QTest::qWait(0);
    CHECK(submitted.isEmpty());
    CHECK(dialog.isVisible());
    requests.clear();
    CHECK(bundleCount(s) == bundlesBefore);
}

TEST_CASE(
    "marks land on their fields in any language: only the message is translated", "[gui][submit][dialog]")
{
    test::MapTranslator german({ // What a translator made of the former "field: message" texts: the field's
                                 // name translated too, so the mark had no field to go to.
        { QStringLiteral("image: an image name has no spaces"),
            { QStringLiteral("Image: ein Image-Name enthält keine Leerzeichen") } },
        { QStringLiteral("dependencies: row %1: %2"), { QStringLiteral("Abhängigkeiten: Zeile %1: %2") } },
        { QStringLiteral("an image name has no spaces"),
            { QStringLiteral("ein Image-Name enthält keine Leerzeichen") } },
        { QStringLiteral("row %1: %2"), { QStringLiteral("Zeile %1: %2") } } });
    test::ClientSession s(
        QStringLiteral("http://127.0.0.1:9"), QStringLiteral("codalab"), QStringLiteral("x"));
    SubmitRunDialog dialog(&s.client, nullptr, nullptr, nullptr);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    typeInto(child<QPlainTextEdit>(&dialog, "command"), QStringLiteral("echo hi"));
    typeInto(child<ui::ImageComboBox>(&dialog, "image"), QStringLiteral("python 3"));
    dialog.dependencyModel()->appendRow(QStringLiteral("my data"), QStringLiteral("mnist"));

    const QList<ui::FieldMarks::Problem> problems = dialog.problems();
    CHECK(problems
        == QList<ui::FieldMarks::Problem> {
            { QStringLiteral("image"), QStringLiteral("ein Image-Name enthält keine Leerzeichen") },
            { QStringLiteral("dependencies"),
                QStringLiteral("Zeile 1: keys use letters, digits and _ - . /") } });
    QTest::mouseClick(test::findButton(&dialog, QStringLiteral("Submit")), Qt::LeftButton);
    CHECK(dialog.markedFields() == QStringList { QStringLiteral("dependencies"), QStringLiteral("image") });
    CHECK(dialog.fieldMessage(QStringLiteral("image"))
        == QStringLiteral("ein Image-Name enthält keine Leerzeichen"));
    CHECK(dialog.fieldMessage(QStringLiteral("dependencies"))
        == QStringLiteral("Zeile 1: keys use letters, digits and _ - . /"));
    auto *image = child<ui::ImageComboBox>(&dialog, "image");
    CHECK((dialog.focusWidget() == image || dialog.focusWidget() == image->lineEdit()));
    CHECK_FALSE(dialog.isSubmitting());
}

TEST_CASE("while the run is being submitted the dialog cannot be cancelled or closed, and then accepts",
    "[gui][submit][dialog]")
{
    test::LocalServerFixture f;
    test::ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password);
    // As the desktop opens it: deleted once it closes, so a dialog closed too early hears nothing back.
    auto *dialog = new SubmitRunDialog(&s.client, nullptr, nullptr, nullptr);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QPointer<SubmitRunDialog> alive(dialog);
    QSignalSpy submitted(dialog, &SubmitRunDialog::submitted);
    dialog->show();
    REQUIRE(QTest::qWaitForWindowExposed(dialog));
    typeInto(child<QPlainTextEdit>(dialog, "command"), QStringLiteral("echo submitted"));
    auto *cancel = test::findButton(dialog, QStringLiteral("Cancel"));
    CHECK(cancel->isEnabled());

    QTest::mouseClick(test::findButton(dialog, QStringLiteral("Submit")), Qt::LeftButton);
    REQUIRE(dialog->isSubmitting());
    CHECK_FALSE(cancel->isEnabled());
    QTest::keyClick(dialog, Qt::Key_Escape);
    CHECK_FALSE(dialog->close()); // the window's close button
    dialog->reject();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    REQUIRE(alive);
    CHECK(dialog->isVisible());
    CHECK(child<QLabel>(dialog, "status")->text().startsWith(QStringLiteral("Submitting…")));

    REQUIRE(spinUntil([&] { return !submitted.isEmpty(); }, 30000));
    const QString uuid = submitted.first().first().toString();
    CHECK(bundleAttributes(s, uuid)[QLatin1String("command")].toString() == QLatin1String("echo submitted"));
    // Accepted as always once the server has the run, and so closed and deleted.
    REQUIRE(spinUntil([&] { return alive.isNull(); }, 5000));
}

TEST_CASE("submit creates the run as typed; a server error keeps everything typed", "[gui][submit][dialog]")
{
    test::LocalServerFixture f;
    test::ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password);
    auto http = f.root();
    const QString dataset = test::createDataset(*http, QStringLiteral("mnist"));
    QTemporaryDir dir;
    QSettings qs(dir.filePath(QStringLiteral("desktop.conf")), QSettings::IniFormat);
    ui::DesktopSettings settings(&qs);
    settings.addRecentImage(QStringLiteral("python:3.11"));

    SubmitRunDialog dialog(&s.client, nullptr, nullptr, &settings);
    QSignalSpy submitted(&dialog, &SubmitRunDialog::submitted);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    CHECK(child<ui::ImageComboBox>(&dialog, "image")->offeredImages()
        == QStringList { QStringLiteral("python:3.11") });

    typeInto(child<QPlainTextEdit>(&dialog, "command"), QStringLiteral("wc -l data/train.csv"));
    typeInto(child<ui::ImageComboBox>(&dialog, "image"), QStringLiteral("codalab-test/busybox:latest"));
    typeInto(child<QLineEdit>(&dialog, "queue"), QStringLiteral("nowhere"));
    typeInto(child<QSpinBox>(&dialog, "gpus"), QStringLiteral("1"));
    typeInto(child<QLineEdit>(&dialog, "memory"), QStringLiteral("1g"));
    typeInto(child<QLineEdit>(&dialog, "tags"), QStringLiteral("a b"));
    typeInto(child<QLineEdit>(&dialog, "worksheet"), QStringLiteral("no-such-worksheet"));

    // The server refuses (no such worksheet): the error is shown and nothing typed is lost.
    QTest::mouseClick(test::findButton(&dialog, QStringLiteral("Submit")), Qt::LeftButton);
    CHECK(dialog.isSubmitting());
    CHECK_FALSE(test::findButton(&dialog, QStringLiteral("Submit"))->isEnabled());
    CHECK(child<QLabel>(&dialog, "status")->text() == QStringLiteral("Submitting…"));
    REQUIRE(test::spinUntil([&] { return !dialog.isSubmitting(); }, 30000));
    auto *status = child<QLabel>(&dialog, "status");
    CHECK(status->text().startsWith(QLatin1String("The run was not submitted: ")));
    CHECK(submitted.isEmpty());
    CHECK(dialog.isVisible());
    CHECK(test::findButton(&dialog, QStringLiteral("Submit"))->isEnabled());
    CHECK(dialog.request().command == QLatin1String("wc -l data/train.csv"));

    typeInto(child<QLineEdit>(&dialog, "worksheet"), {});
    test::addDependencyRow(dialog, QStringLiteral("data"), QStringLiteral("mnist"));
    test::waitDependencies(dialog);
    CHECK(dialog.dependencyModel()
              ->data(dialog.dependencyModel()->index(0, ui::DependencyModel::StatusColumn))
              .toString()
        == QStringLiteral("→ %1… (mnist)").arg(dataset.left(10)));
    QTest::mouseClick(test::findButton(&dialog, QStringLiteral("Submit")), Qt::LeftButton);
    REQUIRE(submitted.wait(30000));
    const QString uuid = submitted.first().first().toString();
    CHECK(dialog.result() == QDialog::Accepted);
    CHECK(settings.recentImages().first() == QLatin1String("codalab-test/busybox:latest"));

    const QJsonObject a = bundleAttributes(s, uuid);
    const QJsonObject metadata = a[QLatin1String("metadata")].toObject();
    CHECK(a[QLatin1String("command")].toString() == QLatin1String("wc -l data/train.csv"));
    CHECK(metadata[QLatin1String("request_docker_image")].toString()
        == QLatin1String("codalab-test/busybox:latest"));
    CHECK(metadata[QLatin1String("request_queue")].toString() == QLatin1String("nowhere"));
    CHECK(metadata[QLatin1String("request_gpus")].toInt() == 1);
    CHECK(metadata[QLatin1String("request_memory")].toString() == QLatin1String("1g"));
    CHECK(metadata[QLatin1String("name")].toString() == QLatin1String("run-wc"));
    CHECK(
        metadata[QLatin1String("tags")].toArray() == QJsonArray { QStringLiteral("a"), QStringLiteral("b") });
    const QJsonArray deps = a[QLatin1String("dependencies")].toArray();
    REQUIRE(deps.size() == 1);
    CHECK(deps[0].toObject()[QLatin1String("child_path")].toString() == QLatin1String("data"));
    CHECK(deps[0].toObject()[QLatin1String("parent_uuid")].toString() == dataset);
}

TEST_CASE("a rerun's request comes back out of the dialog as it went in", "[gui][submit][dialog]")
{
    test::ClientSession s(
        QStringLiteral("http://127.0.0.1:9"), QStringLiteral("codalab"), QStringLiteral("x"));
    SubmitRunDialog dialog(&s.client, nullptr, nullptr, nullptr);

    server::RunRequest r;
    r.command = QStringLiteral("python eval.py 'quoted arg'");
    r.image = QStringLiteral("pytorch/pytorch:2.3.0");
    r.queue = QStringLiteral("gpu");
    r.cpus = 6;
    r.gpus = 1;
    r.memory = QStringLiteral("12g");
    r.disk = QStringLiteral("50g");
    r.time = QStringLiteral("1d");
    r.network = false;
    r.priority = -3;
    r.name = QStringLiteral("eval-2");
    r.description = QStringLiteral("again, with the fix");
    r.tags = QStringList { QStringLiteral("eval"), QStringLiteral("v2") };
    r.worksheet = QStringLiteral("experiments");
    r.allowFailedDependencies = true;
    r.excludePatterns = QStringList { QStringLiteral("*.ckpt") };
    server::RunRequest::Dependency d;
    d.key = QStringLiteral("model");
    d.target = QStringLiteral("0x0123456789abcdef0123456789abcdef/weights");
    d.parentUuid = QStringLiteral("0x0123456789abcdef0123456789abcdef");
    d.parentPath = QStringLiteral("weights");
    r.dependencies = { d, *server::RunRequest::parseDependency(QStringLiteral(":mnist"), nullptr) };

    dialog.setRequest(r);
    const server::RunRequest back = dialog.request();
    test::requireSameRequest(back, r);
    CHECK(back.dependencies[0].parentUuid == d.parentUuid);
    CHECK(back.excludePatterns == r.excludePatterns);
    CHECK(child<QLineEdit>(&dialog, "preview")->text() == r.toClCommand());

    SECTION("the defaults round-trip too")
    {
        server::RunRequest plain;
        plain.command = QStringLiteral("echo hi");
        dialog.setRequest(plain);
        test::requireSameRequest(dialog.request(), plain);
        CHECK(child<QLineEdit>(&dialog, "memory")->text().isEmpty()); // 2g is the placeholder's default
    }
}
