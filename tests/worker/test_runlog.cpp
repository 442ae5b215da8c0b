// SPDX-License-Identifier: GPL-3.0-or-later
// The worker's log as a person reads it: a timestamp on every line and stages in words.
#include "server/runstagewords.h"
#include "util/logformat.h"
#include "worker/runrecord.h"

#include <QRegularExpression>

#include <catch2/catch.hpp>

using namespace codalab;

TEST_CASE("stages read as words, while their protocol names stay", "[worker][log]")
{
    CHECK(server::RunStageWords::of(u"RUN_STAGE.CLEANING_UP") == QLatin1String("cleaning up"));
    CHECK(server::RunStageWords::of(u"RUN_STAGE.UPLOADING_RESULTS") == QLatin1String("uploading results"));
    CHECK(server::RunStageWords::of(u"RUN_STAGE.RESTAGED") == QLatin1String("given back to the server"));
    CHECK(server::RunStageWords::of(u"PREPARING") == QLatin1String("preparing"));
    CHECK(server::RunStageWords::of(u"RUN_STAGE.SOMETHING_NEW") == QLatin1String("something new"));
    CHECK(worker::runStageWords(worker::RunStage::Running) == QLatin1String("running"));
    CHECK(worker::runStageName(worker::RunStage::Running) == QLatin1String("RUN_STAGE.RUNNING"));
    CHECK(worker::runStageChange(QStringLiteral("0x1234abcd99887766554433221100ffee"),
              worker::RunStage::Preparing, worker::RunStage::Running)
        == QStringLiteral("0x1234abcd: preparing \u2192 running"));
}

TEST_CASE("log lines start with an ISO-8601 time with its UTC offset", "[worker][log]")
{
    const QDateTime t(QDate(2024, 5, 1), QTime(12, 0, 0, 123), Qt::OffsetFromUTC, 2 * 3600);
    CHECK(util::LogFormat::timestamp(t) == QLatin1String("2024-05-01T12:00:00.123+02:00"));
    CHECK(util::LogFormat::timestamp(t.toUTC()) == QLatin1String("2024-05-01T10:00:00.123Z"));
    // Local time carries its offset too, whatever this machine's zone.
    CHECK(QRegularExpression(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)$"))
              .match(util::LogFormat::timestamp(QDateTime::currentDateTime()))
              .hasMatch());

    util::LogFormat::install();
    const QMessageLogContext context("run.cpp", 1, "setStage", "codalab.worker.run");
    CHECK(util::LogFormat::line(QtInfoMsg, context, QStringLiteral("0x1234abcd: preparing \u2192 running"), t)
        == QStringLiteral(
            "2024-05-01T12:00:00.123+02:00 codalab.worker.run: 0x1234abcd: preparing \u2192 running"));
    CHECK(util::LogFormat::line(QtWarningMsg, context, QStringLiteral("lost Docker"), t)
        == QLatin1String("2024-05-01T12:00:00.123+02:00 warning: codalab.worker.run: lost Docker"));
    qInstallMessageHandler(nullptr);
    qSetMessagePattern(QString());
}
