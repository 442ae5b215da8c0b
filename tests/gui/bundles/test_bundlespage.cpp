// SPDX-License-Identifier: GPL-3.0-or-later
// The Bundles page against codalab-local-server: it lists a worksheet's bundles, uploads a folder (progress
// in the transfers list), saves it back byte for byte, cancels an upload half-way leaving nothing, edits and
// deletes with the server's refusal in words. docs/screenshots/bundles.png with CODALAB_SCREENSHOTS=1.
#include "bundles/bundleeditdialog.h"
#include "bundles/bundlesmodel.h"
#include "bundles/bundlespage.h"
#include "bundles/transfermodel.h"
#include "bundles/transferpanel.h"
#include "bundles/transferqueue.h"
#include "localserver/localserverfixture.h"
#include "support/codalabtestdata.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"
#include "support/testfiles.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;
using ui::BundlesModel;
using ui::BundlesPage;
using ui::TransferQueue;

namespace {

struct PageFixture
{
    test::LocalServerFixture server;
    // The page logs in as the worker's client, the test's own HTTP calls as the CLI's: one token each.
    test::ClientSession session { server.server->url(), QStringLiteral("codalab"), server.password,
        server::TokenManager::Mode::Relogin };
    std::unique_ptr<test::HttpTestClient> http = server.root();
    TransferQueue transfers;
    BundlesPage page { &session.client, &transfers };
    QAbstractItemModelTester modelTester { page.model(),
        QAbstractItemModelTester::FailureReportingMode::Fatal };
    QAbstractItemModelTester transferTester { page.transferPanel()->model(),
        QAbstractItemModelTester::FailureReportingMode::Fatal };
    QTemporaryDir work;

    PageFixture()
    {
        page.resize(900, 600);
        page.show();
        page.refresh();
        REQUIRE(spinUntil([&] { return !page.currentWorksheet().isEmpty(); }, 20000));
    }
    bool waitRows(int n)
    {
        return spinUntil(
            [&] {
                page.model()->refresh();
                return page.model()->rowCount() == n;
            },
            20000);
    }
    QString nameAt(int row) const
    {
        return page.model()->index(row, BundlesModel::NameColumn).data().toString();
    }
};

} // namespace

TEST_CASE("the page lists the worksheet's bundles with their owner's name", "[gui][bundles]")
{
    PageFixture f;
    CHECK(f.page.currentWorksheetName() == QLatin1String("home-codalab"));
    CHECK(f.page.model()->rowCount() == 0);
    // The empty state is said once the worksheet's (empty) listing came back, not before.
    CHECK(spinUntil(
        [&] { return f.page.statusText().contains(QLatin1String("No bundles on this worksheet")); }, 20000));
    const QString uuid
        = test::createDataset(*f.http, QStringLiteral("glove"), QStringLiteral("g.txt"), "vectors\n");
    REQUIRE(f.waitRows(1));
    CHECK(f.nameAt(0) == QLatin1String("glove"));
    CHECK(f.page.model()->index(0, BundlesModel::OwnerColumn).data().toString() == QLatin1String("codalab"));
    CHECK(f.page.model()->index(0, BundlesModel::StateColumn).data().toString() == QLatin1String("ready"));
    CHECK(f.page.model()->index(0, BundlesModel::SizeColumn).data().toString() == QLatin1String("8 B"));
    CHECK(f.page.selectBundle(uuid));
    CHECK(f.page.selectedUuid() == uuid);
    CHECK(test::findButton(&f.page, QStringLiteral("Save…"))->isEnabled());
}

TEST_CASE("a folder uploaded from the page is listed, and saved back byte for byte", "[gui][bundles][upload]")
{
    PageFixture f;
    const QString src = f.work.filePath(QStringLiteral("code"));
    test::writeFile(src + QStringLiteral("/train.py"), "print('training')\n");
    test::writeFile(src + QStringLiteral("/data/x.csv"), QByteArray(300000, 'x'));
    server::UploadRequest request;
    request.paths = { src };
    request.worksheetUuid = f.page.currentWorksheet();
    QSignalSpy uploaded(&f.page, &BundlesPage::uploaded);
    f.page.startUpload(request);
    CHECK(f.page.transferPanel()->isVisibleTo(&f.page));
    REQUIRE(uploaded.wait(60000));
    const QString uuid = uploaded.first().first().toString();
    REQUIRE(f.waitRows(1));
    CHECK(f.nameAt(0) == QLatin1String("code"));
    const TransferQueue::Transfer &done = f.transfers.transfers().first();
    CHECK(done.state == TransferQueue::State::Done);
    CHECK(done.done == 300000 + 18);
    CHECK(f.page.transferPanel()
              ->model()
              ->index(0, ui::TransferModel::StateColumn)
              .data()
              .toString()
              .startsWith(QLatin1String("Done")));

    QSignalSpy saved(&f.transfers, &TransferQueue::saveFinished);
    const QString back = f.work.filePath(QStringLiteral("saved-code"));
    f.page.startSave(uuid, {}, back);
    REQUIRE(saved.wait(60000));
    INFO(saved.first().at(2).toString().toStdString());
    REQUIRE(saved.first().at(1).toBool());
    CHECK(test::digestTree(back) == test::digestTree(src));
    CHECK(f.page.statusText().startsWith(QLatin1String("Saved to")));

    // One file of it, too.
    saved.clear();
    f.page.startSave(uuid, QStringLiteral("train.py"), f.work.filePath(QStringLiteral("one.py")));
    REQUIRE(saved.wait(60000));
    QFile one(f.work.filePath(QStringLiteral("one.py")));
    REQUIRE(one.open(QIODevice::ReadOnly));
    CHECK(one.readAll() == "print('training')\n");
}

TEST_CASE("an upload cancelled half-way leaves no bundle behind", "[gui][bundles][upload][cancel]")
{
    PageFixture f;
    test::writeNoise(f.work.filePath(QStringLiteral("big")), 48);
    server::UploadRequest request;
    request.paths = { f.work.filePath(QStringLiteral("big")) };
    request.worksheetUuid = f.page.currentWorksheet();
    const int id = f.page.startUpload(request);
    REQUIRE(spinUntil([&] { return f.transfers.find(id)->done > 0; }, 30000));
    CHECK(f.transfers.summary().startsWith(QLatin1String("Uploading 1 item")));
    f.page.transferPanel()->table()->selectRow(0);
    f.page.transferPanel()->cancelSelected();
    REQUIRE(spinUntil([&] { return f.transfers.find(id)->state != TransferQueue::State::Running; }, 30000));
    CHECK(f.transfers.find(id)->state == TransferQueue::State::Cancelled);
    CHECK(f.transfers.summary().isEmpty());
    const QDir bundles(f.server.dataDir.filePath(QStringLiteral("bundles")));
    CHECK(spinUntil(
        [&] {
            return f.http->get(QStringLiteral("/rest/bundles?keywords=.count"))
                       .json.object()[QLatin1String("meta")][QLatin1String("result")]
                       .toInt()
                == 0;
        },
        10000));
    CHECK(spinUntil(
        [&] { return bundles.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden); }, 10000));
    CHECK(f.waitRows(0));
}

TEST_CASE("edit renames a bundle; delete asks first and shows why the server refuses", "[gui][bundles]")
{
    PageFixture f;
    const QString data = test::createDataset(*f.http, QStringLiteral("data"), QStringLiteral("d.txt"), "d\n");
    REQUIRE(f.waitRows(1));
    REQUIRE(f.page.selectBundle(data));

    f.page.editSelected();
    auto *edit = qobject_cast<ui::BundleEditDialog *>(QApplication::activeModalWidget());
    REQUIRE(edit);
    edit->nameEdit()->setText(QStringLiteral("9 bad"));
    test::findButton(edit, QStringLiteral("Save"))->click();
    CHECK(edit->isVisible()); // refused before anything is sent
    edit->nameEdit()->setText(QStringLiteral("corpus"));
    test::findButton(edit, QStringLiteral("Save"))->click();
    REQUIRE(spinUntil([&] { return !edit || !QApplication::activeModalWidget(); }, 20000));
    REQUIRE(spinUntil(
        [&] {
            f.page.model()->refresh();
            return f.nameAt(0) == QLatin1String("corpus");
        },
        20000));

    // A run that depends on it: the server refuses the delete and says why.
    const QJsonObject run = test::bundleBody(QStringLiteral("run"), QStringLiteral("cat d/d.txt"),
        test::runMetadata(QStringLiteral("reader")),
        QJsonArray { QJsonObject { { QStringLiteral("child_path"), QStringLiteral("d") },
            { QStringLiteral("parent_uuid"), data }, { QStringLiteral("parent_path"), QString() } } });
    REQUIRE(f.http->post(QStringLiteral("/rest/bundles?worksheet=") + f.page.currentWorksheet(), run).status
        == 200);
    REQUIRE(f.waitRows(2));
    REQUIRE(f.page.selectBundle(data));
    f.page.deleteSelected();
    auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
    REQUIRE(box);
    CHECK(box->text().contains(QLatin1String("corpus")));
    test::findButton(box, QStringLiteral("Delete"))->click();
    spinUntil([&] { return f.page.statusText().startsWith(QLatin1String("Not deleted")); }, 20000);
    INFO(f.page.statusText().toStdString());
    REQUIRE(f.page.statusText().startsWith(QLatin1String("Not deleted")));
    CHECK(f.page.statusText().contains(QLatin1String("depend on them")));
    CHECK(f.page.model()->rowCount() == 2);
    test::saveScreenshot(&f.page, QStringLiteral("bundles.png"));
}
