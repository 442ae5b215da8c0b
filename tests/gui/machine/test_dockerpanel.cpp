// SPDX-License-Identifier: GPL-3.0-or-later
// The Docker pane against the real daemon, and with none; screenshots land in docs/screenshots/
// when CODALAB_SCREENSHOTS=1.
#include "machine/dockerpanel.h"
#include "machine/imagelistmodel.h"
#include "support/dockertestenv.h"
#include "support/guitestsupport.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;

namespace {
QPushButton *button(QWidget *parent, const QString &text)
{
    return qobject_cast<QPushButton *>(test::findButton(parent, text));
}
} // namespace

TEST_CASE(
    "the Docker pane shows the engine and its images, and runs a test container on click", "[gui][docker]")
{
    docker::DockerClient client;
    ui::DockerPanel window(&client);
    window.resize(820, 560);
    window.show();
    ui::DockerPanel *panel = &window;
    QSignalSpy refreshed(panel, &ui::DockerPanel::refreshed);
    panel->refresh();
    REQUIRE(refreshed.wait(30000));
    CHECK(panel->statusText().contains(
        QRegularExpression(QStringLiteral("^Docker \\d+\\.\\d+.* \\(API 1\\.\\d+\\)"))));
    CHECK(panel->statusText().contains(client.endpoint().describe()));

    ui::ImageListModel *images = panel->imageModel();
    bool found = false;
    for (int row = 0; row < images->rowCount(); ++row) {
        found = found || images->image(row).repoTags.contains(test::TestImage);
    }
    REQUIRE(found);

    // Select the test image in the table, then click.
    auto *table = panel->findChild<QTableView *>();
    REQUIRE(table);
    // The table sorts sizes as numbers (and so, through the same role, creation times).
    table->sortByColumn(ui::ImageListModel::SizeColumn, Qt::AscendingOrder);
    for (int row = 1; row < table->model()->rowCount(); ++row) {
        CHECK(table->model()->index(row - 1, 0).data(ui::ImageListModel::SizeBytesRole).toLongLong()
            <= table->model()->index(row, 0).data(ui::ImageListModel::SizeBytesRole).toLongLong());
    }
    table->sortByColumn(ui::ImageListModel::NameColumn, Qt::AscendingOrder);
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        if (table->model()->index(row, 0).data(ui::ImageListModel::ReferenceRole).toString()
            == test::TestImage) {
            table->selectRow(row);
        }
    }
    QPushButton *check = button(panel, QStringLiteral("Run a test container"));
    REQUIRE(check->isEnabled());
    QSignalSpy finished(panel, &ui::DockerPanel::checkFinished);
    QTest::mouseClick(check, Qt::LeftButton);
    CHECK_FALSE(check->isEnabled()); // no second check while one runs
    REQUIRE(finished.wait(60000));
    CHECK(finished.first().first().toBool());
    CHECK(panel->checkOutput().contains(QLatin1String("Hello from a CodaLab Desktop container: Linux")));
    CHECK(panel->checkOutput().contains(QLatin1String("uid 65534")));
    CHECK(check->isEnabled());
    test::saveScreenshot(&window, QStringLiteral("docker-pane.png"));
}

TEST_CASE("with no Docker the pane says why and offers nothing to run", "[gui][docker]")
{
    QTemporaryDir dir;
    const QString socket = dir.filePath(QStringLiteral("docker.sock"));
    docker::DockerClient client(docker::DockerEndpoint { socket, {} });
    ui::DockerPanel window(&client);
    window.resize(820, 560);
    window.show();
    ui::DockerPanel *panel = &window;
    QSignalSpy refreshed(panel, &ui::DockerPanel::refreshed);
    panel->refresh();
    REQUIRE(refreshed.wait(30000));
    CHECK(panel->statusText().startsWith(QLatin1String("Docker is not available\n")));
    CHECK(panel->statusText().contains(QStringLiteral("Docker is not reachable at ") + socket));
    CHECK(panel->imageModel()->rowCount() == 0);
    CHECK_FALSE(button(panel, QStringLiteral("Run a test container"))->isEnabled());
    test::saveScreenshot(&window, QStringLiteral("docker-pane-unreachable.png"));
}
