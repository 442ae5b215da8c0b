// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/duration.h"

#include <catch2/catch.hpp>
#include <limits>

using codalab::util::Duration;

namespace {
std::optional<qint64> parse(const char *text, QString *error = nullptr)
{
    return Duration::parse(QString::fromLatin1(text), error);
}
} // namespace

TEST_CASE("durations parse as upstream's parse_duration reads them, in whole seconds", "[duration]")
{
    CHECK(parse("0") == 0);
    CHECK(parse("3") == 3);
    CHECK(parse("3s") == 3);
    CHECK(parse("3m") == 180);
    CHECK(parse("3h") == 10800);
    CHECK(parse("3d") == 259200);
    CHECK(parse("3y") == 94608000);
    CHECK(parse("3H") == 10800);
    CHECK(parse("2D") == 172800);
    CHECK(parse(" 5m\t") == 300);
    CHECK(parse("1.5h") == 5400);
    CHECK(parse(".5m") == 30);
    CHECK(parse("1.5") == 1); // upstream's float 1.5, cut toward zero
    CHECK(parse("2.9s") == 2);
    CHECK(parse("0.5y") == 15768000);
}

TEST_CASE("durations that are not durations are refused with upstream's message", "[duration]")
{
    for (const char *bad : { "", "-3", "-3s", "+3m", "3w", "3ms", "h", ".h", "1e3", "1e3s", "infs", "nan",
             "3 h", "1..5", "1.2.3h", "3k" }) {
        INFO(bad);
        QString error;
        CHECK_FALSE(parse(bad, &error));
        CHECK(error
            == QStringLiteral("Invalid duration: %1, expected <number>[<s|m|h|d|y>]")
                   .arg(QString::fromLatin1(bad)));
    }
    QString error;
    CHECK_FALSE(parse("300000000000y", &error));
    CHECK(error == QLatin1String("Invalid duration: 300000000000y, too large"));
    CHECK(parse("290000000000y") == Q_INT64_C(290000000000) * 365 * 86400);
}

TEST_CASE("durations format as upstream's duration_str writes them", "[duration]")
{
    // Every expectation here is what upstream's Python printed for the same number.
    CHECK(Duration::format(0) == QLatin1String("0.0s"));
    CHECK(Duration::format(5) == QLatin1String("5.0s"));
    CHECK(Duration::format(59) == QLatin1String("59.0s"));
    CHECK(Duration::format(60) == QLatin1String("1m0s"));
    CHECK(Duration::format(100) == QLatin1String("1m40s"));
    CHECK(Duration::format(3599) == QLatin1String("59m59s"));
    CHECK(Duration::format(3600) == QLatin1String("1h0m"));
    CHECK(Duration::format(10000) == QLatin1String("2h46m"));
    CHECK(Duration::format(86400) == QLatin1String("1d0h"));
    CHECK(Duration::format(90000) == QLatin1String("1d1h"));
    CHECK(Duration::format(31536000) == QLatin1String("1y0d"));
    CHECK(Duration::format(34560000) == QLatin1String("1y35d"));
    CHECK(Duration::format(1000000000) == QLatin1String("31y259d"));
    // On a float, as the time-limit message writes the container's uptime.
    CHECK(Duration::formatFractional(2.6) == QLatin1String("2.6s"));
    CHECK(Duration::formatFractional(2.0) == QLatin1String("2.0s"));
    CHECK(Duration::formatFractional(0.25) == QLatin1String("0.2s")); // a tie, to even as Python's "%.1f"
    CHECK(Duration::formatFractional(59.96) == QLatin1String("60.0s"));
    CHECK(Duration::formatFractional(90.9) == QLatin1String("1m30s"));
    CHECK(Duration::formatFractional(10000.5) == QLatin1String("2h46m"));
    // Negative: a sign and the magnitude (upstream would print "-1y364d" for -5).
    CHECK(Duration::format(-5) == QLatin1String("-5.0s"));
    CHECK(Duration::format(-100) == QLatin1String("-1m40s"));
    CHECK(Duration::format(std::numeric_limits<qint64>::min()).startsWith(QLatin1Char('-')));
}
