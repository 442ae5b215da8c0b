// SPDX-License-Identifier: GPL-3.0-or-later
// The dependency rows of the submission dialog: parsing as `cl run` does, key problems across rows, and
// resolution against a local server after a pause in typing, with late answers dropped.
#include "localserver/localserverfixture.h"
#include "server/apijob.h"
#include "submit/dependencymodel.h"
#include "submit/dependencyresolver.h"
#include "support/codalabtestdata.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QCoreApplication>
#include <QSignalSpy>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;
using codalab::ui::DependencyModel;
using codalab::ui::DependencyResolver;

namespace {

QString cell(const DependencyModel &m, int row, int column, int role = Qt::DisplayRole)
{
    return m.data(m.index(row, column), role).toString();
}

void edit(DependencyModel &m, int row, int column, const QString &text)
{
    REQUIRE(m.setData(m.index(row, column), text));
}

bool settled(const DependencyModel &m, const DependencyResolver &r)
{
    if (r.isBusy()) {
        return false;
    }
    for (int row = 0; row < m.rowCount(); ++row) {
        if (m.lookup(row) == DependencyModel::Lookup::Pending
            || m.lookup(row) == DependencyModel::Lookup::Resolving) {
            return false;
        }
    }
    return true;
}

} // namespace

TEST_CASE("rows read key and bundle[/subpath] as cl run does, and bad rows say why", "[gui][submit][deps]")
{
    DependencyModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy changed(&model, &DependencyModel::changed);

    model.appendRow(QStringLiteral("data"), QStringLiteral("mnist/train.csv"));
    const int derived = model.appendRow({}, QStringLiteral("ws//glove/vectors.txt"));
    const int blank = model.appendRow();
    CHECK(changed.size() == 3);

    const auto deps = model.dependencies();
    REQUIRE(deps.size() == 2); // the blank row is no dependency and no problem
    CHECK(deps[0].key == QLatin1String("data"));
    CHECK(deps[0].target == QLatin1String("mnist/train.csv"));
    CHECK(deps[0].parentPath == QLatin1String("train.csv"));
    CHECK(deps[1].key == QLatin1String("vectors.txt"));
    CHECK(deps[1].parentPath == QLatin1String("vectors.txt"));
    // The derived key is shown (quieter), but it is not what the user typed.
    CHECK(cell(model, derived, DependencyModel::KeyColumn) == QLatin1String("vectors.txt"));
    CHECK(cell(model, derived, DependencyModel::KeyColumn, Qt::EditRole).isEmpty());
    CHECK(model.problem(blank).isEmpty());
    CHECK(model.firstProblemRow() == -1);
    CHECK(cell(model, 0, DependencyModel::StatusColumn) == QStringLiteral("checking…"));

    SECTION("a key without a bundle")
    {
        edit(model, blank, DependencyModel::KeyColumn, QStringLiteral("labels"));
        CHECK(model.problem(blank) == QLatin1String("Dependency 'labels:' names no bundle"));
        CHECK(model.firstProblemRow() == blank);
        CHECK(model.dependencies().size() == 2);
        CHECK(model.data(model.index(blank, DependencyModel::StatusColumn), Qt::ForegroundRole)
                  .value<QBrush>()
                  .color()
            == QColor(0xc6, 0x28, 0x28));
    }
    SECTION("a key used twice marks both rows, and renaming one clears both")
    {
        edit(model, blank, DependencyModel::KeyColumn, QStringLiteral("data"));
        edit(model, blank, DependencyModel::TargetColumn, QStringLiteral("other"));
        CHECK(model.problem(0) == QLatin1String("the key is used twice"));
        CHECK(model.problem(blank) == QLatin1String("the key is used twice"));
        edit(model, blank, DependencyModel::KeyColumn, QStringLiteral("data2"));
        CHECK(model.firstProblemRow() == -1);
    }
    SECTION("a key with characters a path cannot have")
    {
        edit(model, 0, DependencyModel::KeyColumn, QStringLiteral("my data"));
        CHECK(model.problem(0) == QLatin1String("keys use letters, digits and _ - . /"));
    }
    SECTION("rows are removed one by one")
    {
        REQUIRE(model.removeRows(0, 1));
        CHECK(model.rowCount() == 2);
        CHECK(model.dependencies().first().key == QLatin1String("vectors.txt"));
        CHECK_FALSE(model.removeRows(2, 1));
    }
}

TEST_CASE("a given parent uuid stands until the target is edited, and late answers are dropped",
    "[gui][submit][deps]")
{
    DependencyModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    server::RunRequest::Dependency given;
    given.key = QStringLiteral("data");
    given.target = QStringLiteral("mnist");
    given.parentUuid = QStringLiteral("0x0123456789abcdef0123456789abcdef");
    model.setDependencies({ given });
    CHECK(model.lookup(0) == DependencyModel::Lookup::Resolved);
    CHECK(model.lookups().isEmpty());
    CHECK(model.dependencies().first().parentUuid == given.parentUuid);
    CHECK(cell(model, 0, DependencyModel::StatusColumn) == QStringLiteral("→ 0x01234567…"));

    edit(model, 0, DependencyModel::TargetColumn, QStringLiteral("cifar"));
    CHECK(model.dependencies().first().parentUuid.isEmpty());
    const auto asked = model.lookups();
    REQUIRE(asked.size() == 1);
    CHECK(model.setLookupResult(asked[0].rowId, asked[0].revision, DependencyModel::Lookup::Resolving));

    // The user types on while the lookup for "cifar" is under way: its answer must not land.
    edit(model, 0, DependencyModel::TargetColumn, QStringLiteral("cifar10"));
    CHECK_FALSE(model.setLookupResult(asked[0].rowId, asked[0].revision, DependencyModel::Lookup::Resolved,
        QStringLiteral("0xffffffffffffffffffffffffffffffff"), QStringLiteral("cifar")));
    CHECK(model.lookup(0) == DependencyModel::Lookup::Pending);
    const auto again = model.lookups();
    REQUIRE(again.size() == 1);
    CHECK(again[0].target == QLatin1String("cifar10"));
    CHECK(model.setLookupResult(again[0].rowId, again[0].revision, DependencyModel::Lookup::Resolved,
        QStringLiteral("0xabcdefabcdefabcdefabcdefabcdefab"), QStringLiteral("cifar10")));
    CHECK(cell(model, 0, DependencyModel::StatusColumn) == QStringLiteral("→ 0xabcdefab… (cifar10)"));
    CHECK(cell(model, 0, DependencyModel::StatusColumn, Qt::ToolTipRole)
        == QLatin1String("0xabcdefabcdefabcdefabcdefabcdefab"));

    // A removed row's late answer is dropped too.
    const quint64 id = again[0].rowId;
    REQUIRE(model.removeRows(0, 1));
    CHECK_FALSE(model.setLookupResult(id, again[0].revision, DependencyModel::Lookup::NotFound));
}

TEST_CASE("a key edited while its row resolves keeps the lookup, and its answer lands", "[gui][submit][deps]")
{
    DependencyModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.appendRow({}, QStringLiteral("mnist"));
    const auto asked = model.lookups();
    REQUIRE(asked.size() == 1);
    CHECK(model.setLookupResult(asked[0].rowId, asked[0].revision, DependencyModel::Lookup::Resolving));

    // Only the target is looked up: the answer for "mnist" is still the row's answer under its new key.
    edit(model, 0, DependencyModel::KeyColumn, QStringLiteral("data"));
    CHECK(model.lookup(0) == DependencyModel::Lookup::Resolving);
    CHECK(model.setLookupResult(asked[0].rowId, asked[0].revision, DependencyModel::Lookup::Resolved,
        QStringLiteral("0xabcdefabcdefabcdefabcdefabcdefab"), QStringLiteral("mnist")));
    CHECK(model.lookup(0) == DependencyModel::Lookup::Resolved);
    CHECK(cell(model, 0, DependencyModel::StatusColumn) == QStringLiteral("→ 0xabcdefab… (mnist)"));

    // Whenever an answer is refused, the row is asked again: no row waits for an answer that never lands.
    edit(model, 0, DependencyModel::TargetColumn, QStringLiteral("cifar"));
    const auto again = model.lookups();
    REQUIRE(again.size() == 1);
    CHECK(model.setLookupResult(again[0].rowId, again[0].revision, DependencyModel::Lookup::Resolving));
    model.invalidateLookups();
    CHECK_FALSE(model.setLookupResult(again[0].rowId, again[0].revision, DependencyModel::Lookup::Resolved));
    CHECK(model.lookup(0) == DependencyModel::Lookup::Pending);
    CHECK(model.lookups().size() == 1);
}

TEST_CASE("rows resolve against the server once typing pauses; a missing bundle is marked",
    "[gui][submit][deps][server]")
{
    test::LocalServerFixture f;
    test::ClientSession s(f.server->url(), QStringLiteral("codalab"), f.password);
    auto http = f.root();
    const QString dataset = test::createDataset(*http, QStringLiteral("mnist"));
    REQUIRE(test::waitApi(s.client.currentUser()).ok()); // logged in, so the count below is lookups only

    DependencyModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    DependencyResolver resolver(&s.client, &model);
    QSignalSpy requests(&s.nam, &QNetworkAccessManager::finished);

    // Typed a character at a time: every edit restarts the pause, so only what stands when typing pauses
    // is looked up. A long pause here makes that independent of how fast this machine is.
    CHECK(resolver.debounceMs() == 400);
    resolver.setDebounceMs(60000);
    const int good = model.appendRow(QStringLiteral("data"));
    for (const QString &typed : { QStringLiteral("m"), QStringLiteral("mn"), QStringLiteral("mni"),
             QStringLiteral("mnis"), QStringLiteral("mnist") }) {
        edit(model, good, DependencyModel::TargetColumn, typed);
        QCoreApplication::processEvents();
    }
    CHECK(resolver.isBusy());
    CHECK(requests.isEmpty());
    resolver.setDebounceMs(0); // the pause ends
    REQUIRE(spinUntil([&] { return settled(model, resolver); }, 20000));
    // The home worksheet, "mnist" on it, then "mnist^2": whether another bundle shares the name.
    CHECK(requests.size() == 3);
    CHECK(model.lookup(good) == DependencyModel::Lookup::Resolved);
    CHECK(cell(model, good, DependencyModel::StatusColumn)
        == QStringLiteral("→ %1… (mnist)").arg(dataset.left(10)));
    CHECK(model.dependencies().first().parentUuid.isEmpty()); // the submission resolves it again, as cl does

    const int bad = model.appendRow(QStringLiteral("x"), QStringLiteral("no-such-bundle"));
    const int byUuid = model.appendRow(QStringLiteral("y"), dataset.left(12) + QStringLiteral("/sub"));
    REQUIRE(spinUntil([&] { return settled(model, resolver); }, 20000));
    // The worksheet is known by now: one lookup per new row (a uuid prefix and a missing name have no
    // namesakes to look for).
    CHECK(requests.size() == 5);
    CHECK(model.lookup(bad) == DependencyModel::Lookup::NotFound);
    CHECK(model.problem(bad) == QLatin1String("No bundle found with name no-such-bundle"));
    CHECK(model.firstProblemRow() == bad);
    CHECK(model.lookup(byUuid) == DependencyModel::Lookup::Resolved);

    SECTION("another worksheet: every row is looked up there again")
    {
        resolver.setWorksheet(QStringLiteral("no-such-worksheet"));
        REQUIRE(spinUntil([&] { return settled(model, resolver); }, 20000));
        CHECK(model.lookup(good) == DependencyModel::Lookup::NotFound);
        CHECK_FALSE(model.problem(good).isEmpty());
        resolver.setWorksheet({});
        REQUIRE(spinUntil([&] { return settled(model, resolver); }, 20000));
        CHECK(model.lookup(good) == DependencyModel::Lookup::Resolved);
    }
    SECTION("a key edited while its row is looked up does not leave the row resolving")
    {
        edit(model, good, DependencyModel::TargetColumn, QStringLiteral("mnist/sub"));
        // Usually caught while its lookup is in flight; a quicker answer must stand after the key edit too.
        REQUIRE(spinUntil([&] { return model.lookup(good) != DependencyModel::Lookup::Pending; }, 20000));
        edit(model, good, DependencyModel::KeyColumn, QStringLiteral("renamed"));
        REQUIRE(spinUntil([&] { return settled(model, resolver); }, 20000));
        CHECK(model.lookup(good) == DependencyModel::Lookup::Resolved);
        CHECK(model.dependencies().first().key == QLatin1String("renamed"));
    }
    SECTION("a row edited while its lookup is in flight gets the answer for what it says now")
    {
        edit(model, good, DependencyModel::TargetColumn, QStringLiteral("no-such-bundle-2"));
        // Usually caught while its lookup is in flight; an answer that was quicker still must not stick.
        REQUIRE(spinUntil([&] { return model.lookup(good) != DependencyModel::Lookup::Pending; }, 20000));
        edit(model, good, DependencyModel::TargetColumn, QStringLiteral("mnist"));
        REQUIRE(spinUntil([&] { return settled(model, resolver); }, 20000));
        CHECK(model.lookup(good) == DependencyModel::Lookup::Resolved);
        CHECK(model.problem(good).isEmpty());
    }
}
