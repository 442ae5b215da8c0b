// SPDX-License-Identifier: GPL-3.0-or-later
// What the submission dialog does with what is typed into it, from a real X session's complaints: Enter
// submits and never throws the form away, closing with edits asks first, a stale "Nothing was sent" goes
// once nothing is marked, dependencies resolve while typed, and a name several bundles share is said so.
#include "localserver/localserverfixture.h"
#include "server/apijob.h"
#include "submit/dependencymodel.h"
#include "submit/dependencyresolver.h"
#include "submit/submitrundialog.h"
#include "submittestsupport.h"
#include "support/codalabtestdata.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::child;
using codalab::test::spinUntil;
using codalab::test::typeInto;
using codalab::ui::DependencyModel;
using codalab::ui::SubmitRunDialog;

TEST_CASE("Enter in any field submits the run; it never closes the dialog unsent", "[gui][submit][dialog]")
{
    test::LocalServerFixture f;
    test::ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password);
    SubmitRunDialog dialog(&s.client, nullptr, nullptr, nullptr);
    QSignalSpy submitted(&dialog, &SubmitRunDialog::submitted);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));

    auto *submit = qobject_cast<QPushButton *>(test::findButton(&dialog, QStringLiteral("Submit")));
    auto *cancel = qobject_cast<QPushButton *>(test::findButton(&dialog, QStringLiteral("Cancel")));
    REQUIRE(submit);
    REQUIRE(cancel);
    CHECK(submit->isDefault()); // drawn as the default: what Enter does
    CHECK_FALSE(cancel->isDefault());

    auto *description = child<QLineEdit>(&dialog, "description");
    typeInto(description, QStringLiteral("a first try"));
    // Enter with no command: validation speaks, nothing is lost, the dialog stays.
    QTest::keyClick(description, Qt::Key_Return);
    CHECK(dialog.isVisible());
    CHECK(dialog.markedFields() == QStringList { QStringLiteral("command") });
    CHECK(description->text() == QLatin1String("a first try"));

    typeInto(child<QPlainTextEdit>(&dialog, "command"), QStringLiteral("echo enter"));
    QTest::keyClick(description, Qt::Key_Return);
    REQUIRE(spinUntil([&] { return !submitted.isEmpty(); }, 30000));
    const server::ApiResult bundle = test::waitApi(s.client.bundle(submitted.first().first().toString()));
    REQUIRE(bundle.ok());
    const QJsonObject metadata = bundle.json.object()[QLatin1String("data")]
                                     .toObject()[QLatin1String("attributes")]
                                     .toObject()[QLatin1String("metadata")]
                                     .toObject();
    CHECK(metadata[QLatin1String("description")].toString() == QLatin1String("a first try"));
    CHECK(dialog.result() == QDialog::Accepted);
}

TEST_CASE("closing the dialog with edits asks first, and Keep editing keeps them", "[gui][submit][dialog]")
{
    test::ClientSession s(
        QStringLiteral("http://127.0.0.1:9"), QStringLiteral("codalab"), QStringLiteral("x"));
    SubmitRunDialog dialog(&s.client, nullptr, nullptr, nullptr);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    CHECK_FALSE(dialog.hasEdits());

    SECTION("an untouched dialog closes at once")
    {
        QTest::keyClick(&dialog, Qt::Key_Escape);
        CHECK_FALSE(dialog.isVisible());
        CHECK(dialog.findChild<QMessageBox *>() == nullptr);
    }
    SECTION("with edits: Esc, the close button and Cancel ask; the answer decides")
    {
        auto *command = child<QPlainTextEdit>(&dialog, "command");
        typeInto(command, QStringLiteral("python train.py"));
        CHECK(dialog.hasEdits());
        for (int attempt = 0; attempt < 3; ++attempt) {
            if (attempt == 0) {
                QTest::keyClick(&dialog, Qt::Key_Escape);
            } else if (attempt == 1) {
                dialog.close();
            } else {
                QTest::mouseClick(test::findButton(&dialog, QStringLiteral("Cancel")), Qt::LeftButton);
            }
            auto *question = dialog.findChild<QMessageBox *>(QStringLiteral("discardQuestion"));
            REQUIRE(question);
            REQUIRE(spinUntil([&] { return question->isVisible(); }, 5000));
            CHECK(dialog.isVisible());
            QTest::mouseClick(test::findButton(question, QStringLiteral("Keep editing")), Qt::LeftButton);
            QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
            CHECK(dialog.findChild<QMessageBox *>() == nullptr);
            CHECK(dialog.isVisible());
            CHECK(command->toPlainText() == QLatin1String("python train.py"));
        }
        QTest::keyClick(&dialog, Qt::Key_Escape);
        auto *question = dialog.findChild<QMessageBox *>(QStringLiteral("discardQuestion"));
        REQUIRE(question);
        QTest::mouseClick(test::findButton(question, QStringLiteral("Discard")), Qt::LeftButton);
        CHECK_FALSE(dialog.isVisible());
        CHECK(dialog.result() == QDialog::Rejected);
    }
}

TEST_CASE(
    "dependencies: looked up while typed, stale messages go, shared names are said", "[gui][submit][dialog]")
{
    test::LocalServerFixture f;
    test::ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password);
    auto http = f.root();
    test::createDataset(*http, QStringLiteral("mnist"));
    // Made before the dialog: its session logs in as the same user, which retires `http`'s token.
    const QString older = test::createDataset(*http, QStringLiteral("shared"));
    const QString newer = test::createDataset(*http, QStringLiteral("shared"));
    SubmitRunDialog dialog(&s.client, nullptr, nullptr, nullptr);
    dialog.resize(760, 720);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    DependencyModel *model = dialog.dependencyModel();

    SECTION("a target is resolved while its cell is still being edited")
    {
        QTest::mouseClick(test::findButton(&dialog, QStringLiteral("Add dependency")), Qt::LeftButton);
        QWidget *keyEditor = dialog.focusWidget();
        REQUIRE(qobject_cast<QLineEdit *>(keyEditor));
        QTest::keyClicks(keyEditor, QStringLiteral("data"));
        QTest::keyClick(keyEditor, Qt::Key_Tab);
        auto *targetEditor = qobject_cast<QLineEdit *>(dialog.focusWidget());
        REQUIRE(targetEditor);
        QTest::keyClicks(targetEditor, QStringLiteral("mni"));
        QTest::keyClicks(targetEditor, QStringLiteral("st"));
        // No Return, no Tab: the editor is still open and the row is already looked up.
        REQUIRE(spinUntil([&] { return model->lookup(0) == DependencyModel::Lookup::Resolved; }, 20000));
        CHECK(dialog.focusWidget() == targetEditor);
        CHECK(targetEditor->text() == QLatin1String("mnist"));
        CHECK(model->problem(0).isEmpty());
        CHECK(model->index(0, DependencyModel::StatusColumn)
                  .data()
                  .toString()
                  .contains(QLatin1String("mnist")));
    }
    SECTION("Nothing was sent goes away once the row that caused it is removed")
    {
        typeInto(child<QPlainTextEdit>(&dialog, "command"), QStringLiteral("wc -l data"));
        test::addDependencyRow(dialog, QStringLiteral("data"), QStringLiteral("no-such-bundle"));
        test::waitDependencies(dialog);
        QTest::mouseClick(test::findButton(&dialog, QStringLiteral("Submit")), Qt::LeftButton);
        auto *status = child<QLabel>(&dialog, "status");
        CHECK(status->isVisible());
        CHECK(status->text().startsWith(QLatin1String("Nothing was sent")));
        auto *view = child<QTableView>(&dialog, "dependencies");
        view->setCurrentIndex(model->index(0, DependencyModel::KeyColumn));
        QTest::mouseClick(test::findButton(&dialog, QStringLiteral("Remove dependency")), Qt::LeftButton);
        CHECK(model->rowCount() == 0);
        CHECK(dialog.markedFields().isEmpty());
        CHECK_FALSE(status->isVisible());
    }
    SECTION("a name two bundles share: the newest, said so, with the other named")
    {
        test::addDependencyRow(dialog, QStringLiteral("data"), QStringLiteral("shared"));
        test::waitDependencies(dialog);
        const QString status = model->index(0, DependencyModel::StatusColumn).data().toString();
        INFO(status.toStdString());
        CHECK(status.startsWith(QStringLiteral("→ %1…").arg(newer.left(10))));
        CHECK(status.contains(QLatin1String("several bundles are named shared")));
        CHECK(status.contains(older.left(10)));

        // A name only one bundle has gets no such note.
        test::addDependencyRow(dialog, QStringLiteral("digits"), QStringLiteral("mnist"));
        test::waitDependencies(dialog);
        CHECK_FALSE(model->index(1, DependencyModel::StatusColumn)
                        .data()
                        .toString()
                        .contains(QLatin1String("several")));
    }
}
