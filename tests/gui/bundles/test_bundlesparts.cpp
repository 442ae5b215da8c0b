// SPDX-License-Identifier: GPL-3.0-or-later
// The parts of ui/bundles on their own: the contents tree (lazy, through QAbstractItemModelTester), the
// upload dialog's names and refusals, and the transfers' rate and summary.
#include "bundles/contentsbrowser.h"
#include "bundles/contentsmodel.h"
#include "bundles/uploaddialog.h"
#include "common/buttonmenu.h"
#include "localserver/localserverfixture.h"
#include "support/codalabtestdata.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"
#include "util/tarbuilder.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;
using ui::ContentsModel;

TEST_CASE("the contents tree loads a folder when it is opened", "[gui][bundles][contents]")
{
    test::LocalServerFixture server;
    test::ClientSession session { server.server->url(), QStringLiteral("codalab"), server.password,
        server::TokenManager::Mode::Relogin };
    auto http = server.root();
    const QString uuid = test::createDataset(*http, QStringLiteral("tree"), QStringLiteral("t.tar.gz"),
        test::TarBuilder()
            .file("./a.txt", "aaa")
            .file("./sub/b.txt", "bb")
            .file("./sub/deep/c.txt", "c")
            .finish());
    ContentsModel model(&session.client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy loaded(&model, &ContentsModel::loaded);
    model.setBundle(uuid);
    REQUIRE(loaded.wait(20000));
    REQUIRE(model.rowCount() == 2);
    CHECK(model.index(0, ContentsModel::NameColumn).data().toString() == QLatin1String("a.txt"));
    CHECK(model.index(0, ContentsModel::SizeColumn).data().toString() == QLatin1String("3 B"));
    const QModelIndex sub = model.index(1, 0);
    CHECK(sub.data(ContentsModel::TypeRole).toString() == QLatin1String("directory"));
    CHECK(model.hasChildren(sub));
    // Read when it is opened (the model tester may have opened it already).
    if (model.canFetchMore(sub)) {
        model.fetchMore(sub);
    }
    REQUIRE(spinUntil([&] { return model.rowCount(sub) == 2; }, 20000));
    CHECK(model.index(0, 0, sub).data(ContentsModel::PathRole).toString() == QLatin1String("sub/b.txt"));
    CHECK(model.indexOfPath(QStringLiteral("sub/deep")).isValid());

    // The browser over it, for the screenshot: folder opened, a file selected.
    ui::ContentsBrowser browser(&session.client, uuid, QStringLiteral("tree"));
    browser.setAttribute(Qt::WA_DeleteOnClose, false);
    browser.show();
    REQUIRE(spinUntil([&] { return browser.model()->rowCount() == 2; }, 20000));
    browser.tree()->expand(browser.model()->index(1, 0));
    REQUIRE(spinUntil([&] { return browser.model()->rowCount(browser.model()->index(1, 0)) == 2; }, 20000));
    browser.tree()->setCurrentIndex(browser.model()->index(0, 0, browser.model()->index(1, 0)));
    CHECK(browser.selectedPath() == QLatin1String("sub/b.txt"));
    test::saveScreenshot(&browser, QStringLiteral("bundle-contents.png"));

    // A bundle with no contents yet says so.
    const QString empty = test::createDataset(*http, QStringLiteral("empty"));
    QSignalSpy failed(&model, &ContentsModel::failed);
    model.setBundle(empty);
    REQUIRE(failed.wait(20000));
    CHECK(failed.first().first().toString().contains(QLatin1String("not found")));
}

TEST_CASE("the upload dialog names the bundle as cl upload would and refuses a bad name", "[gui][bundles]")
{
    QTemporaryDir work;
    QDir(work.path()).mkpath(QStringLiteral("my data"));
    QFile(work.filePath(QStringLiteral("weights.tar.gz"))).open(QIODevice::WriteOnly);
    ui::UploadDialog dialog(
        QStringLiteral("0x") + QString(32, QLatin1Char('a')), QStringLiteral("home-codalab"));
    CHECK(dialog.problem().contains(QLatin1String("Add a file")));
    dialog.addPaths({ work.filePath(QStringLiteral("my data")) });
    CHECK(dialog.problem().isEmpty());
    CHECK(dialog.request().name == QLatin1String("my-data"));
    dialog.addPaths({ work.filePath(QStringLiteral("my data")) }); // not twice
    CHECK(dialog.paths().size() == 1);
    dialog.addPaths({ work.filePath(QStringLiteral("weights.tar.gz")) });
    CHECK(dialog.request().name == QLatin1String("my-data-weights.tar.gz"));
    dialog.nameEdit()->setText(QStringLiteral("1st"));
    CHECK(dialog.problem().contains(QLatin1String("starts with a letter")));
    dialog.nameEdit()->setText(QStringLiteral("glove_6B"));
    dialog.tagsEdit()->setText(QStringLiteral("nlp, embeddings"));
    const server::UploadRequest r = dialog.request();
    CHECK(r.name == QLatin1String("glove_6B"));
    CHECK(r.tags == QStringList { QStringLiteral("nlp"), QStringLiteral("embeddings") });
    CHECK(r.worksheetUuid.startsWith(QLatin1String("0xaaaa")));
    dialog.show();
    test::saveScreenshot(&dialog, QStringLiteral("upload-dialog.png"));
}

TEST_CASE("a list's right-click menu offers its page's buttons, in the same state", "[gui][bundles][menu]")
{
    QWidget page;
    auto *table = new QTableView(&page);
    auto *save = new QPushButton(QStringLiteral("&Save…"), &page);
    auto *remove = new QPushButton(QStringLiteral("&Delete…"), &page);
    auto *hidden = new QPushButton(QStringLiteral("Open &folder"), &page);
    remove->setEnabled(false);
    hidden->hide();
    page.show();
    int saved = 0;
    QObject::connect(save, &QPushButton::clicked, [&] { ++saved; });
    QMenu *menu = ui::ButtonMenu::popup(table, QPoint(5, 5), { save, remove, hidden });
    const QList<QAction *> actions = menu->actions();
    REQUIRE(actions.size() == 2); // the hidden button is not offered
    CHECK(actions.at(0)->text() == QStringLiteral("&Save…"));
    CHECK(actions.at(0)->isEnabled());
    CHECK_FALSE(actions.at(1)->isEnabled());
    actions.at(0)->trigger();
    CHECK(saved == 1);
    menu->close();
}
