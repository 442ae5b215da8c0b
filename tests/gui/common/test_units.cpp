// SPDX-License-Identifier: GPL-3.0-or-later
// How the worker pages write sizes, durations, ages and CPU lists.
#include "common/units.h"

#include <catch2/catch.hpp>

using codalab::ui::Units;

TEST_CASE("sizes are written in binary units with at most one decimal", "[gui][dashboard][units]")
{
    CHECK(Units::bytes(0) == QLatin1String("0 B"));
    CHECK(Units::bytes(-5) == QLatin1String("0 B"));
    CHECK(Units::bytes(1023) == QLatin1String("1023 B"));
    CHECK(Units::bytes(1536) == QLatin1String("1.5 KiB"));
    CHECK(Units::bytes(2.0 * 1024 * 1024 * 1024) == QLatin1String("2 GiB"));
    CHECK(Units::bytes(1.2 * 1024 * 1024 * 1024) == QLatin1String("1.2 GiB"));
    CHECK(Units::bytes(150.0 * 1024 * 1024 * 1024) == QLatin1String("150 GiB"));
    CHECK(Units::bytes(1024.0 * 1024 - 10) == QLatin1String("1 MiB"));
    CHECK(Units::bytes(4324896) == QLatin1String("4.1 MiB"));
}

TEST_CASE("durations, ages, CPU ranges and short uuids", "[gui][dashboard][units]")
{
    CHECK(Units::duration(0) == QLatin1String("0:00:00"));
    CHECK(Units::duration(723) == QLatin1String("0:12:03"));
    CHECK(Units::duration(3600) == QLatin1String("1:00:00"));
    CHECK(Units::duration(90061) == QLatin1String("1d 1:01:01"));
    CHECK(Units::duration(-3) == QLatin1String("0:00:00"));
    CHECK(Units::ago(3) == QLatin1String("3 s ago"));
    CHECK(Units::ago(150) == QLatin1String("2 min ago"));
    CHECK(Units::ago(7200) == QLatin1String("2 h ago"));
    CHECK(Units::ago(200000) == QLatin1String("2 d ago"));
    CHECK(Units::ago(-2) == QLatin1String("just now"));
    CHECK(Units::cpuRanges({}) == QString());
    CHECK(Units::cpuRanges({ 3, 0, 1, 2, 8, 11, 10 }) == QLatin1String("0-3,8,10-11"));
    CHECK(Units::cpuRanges({ 5 }) == QLatin1String("5"));
    CHECK(Units::shortUuid(QStringLiteral("0x1234abcd0000")) == QLatin1String("0x1234ab"));
    CHECK(Units::percent(0.449) == QLatin1String("45 %"));
}
