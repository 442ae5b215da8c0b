// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/bytesize.h"

#include <catch2/catch.hpp>
#include <limits>

using codalab::util::ByteSize;

namespace {
std::optional<qint64> parse(const char *text, QString *error = nullptr)
{
    return ByteSize::parse(QString::fromLatin1(text), error);
}
} // namespace

TEST_CASE("sizes parse as upstream's parse_size reads them", "[bytesize]")
{
    CHECK(parse("0") == 0);
    CHECK(parse("3") == 3);
    CHECK(parse("3k") == 3 * 1024);
    CHECK(parse("3K") == 3 * 1024);
    CHECK(parse("3m") == 3 * 1024 * 1024);
    CHECK(parse("3M") == 3 * 1024 * 1024);
    CHECK(parse("3g") == qint64(3) << 30);
    CHECK(parse("3t") == qint64(3) << 40);
    CHECK(parse(" 2g\n") == qint64(2) << 30);
    // Fractions, cut to whole bytes as int() does; values checked against upstream's Python.
    CHECK(parse("1.5g") == 1610612736);
    CHECK(parse("0.1k") == 102);
    CHECK(parse("0.3m") == 314572);
    CHECK(parse("2.7g") == 2899102924);
    CHECK(parse("1.1t") == 1209462790553);
    CHECK(parse(".5k") == 512);
    CHECK(parse("5.k") == 5120);
    // The largest that fit a qint64.
    CHECK(parse("9223372036854775807") == std::numeric_limits<qint64>::max());
    CHECK(parse("8388607t") == Q_INT64_C(9223370937343148032));
}

TEST_CASE("sizes that are not sizes are refused with upstream's message", "[bytesize]")
{
    for (const char *bad : { "", " ", "-3", "-3k", "+3", "1.5", "3kb", "3KB", "3b", "3B", "k", ".k", "..5k",
             "1.2.3k", "1e3k", "1e3", "infk", "nank", "3x", "3 k", "0x10", "3k3" }) {
        INFO(bad);
        QString error;
        CHECK_FALSE(parse(bad, &error));
        CHECK(error
            == QStringLiteral("Invalid size: %1, expected <number>[<k|m|g|t>]")
                   .arg(QString::fromLatin1(bad)));
    }
    CHECK_FALSE(ByteSize::parse(QStringLiteral("٣k"))); // an Arabic-Indic three: Python takes it, we do not
    CHECK(ByteSize::parse(QStringLiteral("3k")) == 3072); // the error pointer is optional
}

TEST_CASE("sizes past a qint64 are refused as too large, not wrapped", "[bytesize]")
{
    for (const char *big :
        { "9223372036854775808", "99999999999999999999999", "8388608t", "9000000000000g" }) {
        INFO(big);
        QString error;
        CHECK_FALSE(parse(big, &error));
        CHECK(error == QStringLiteral("Invalid size: %1, too large").arg(QString::fromLatin1(big)));
    }
}

TEST_CASE("sizes format as upstream's size_str writes them", "[bytesize]")
{
    // Every expectation here is what upstream's Python printed for the same number.
    CHECK(ByteSize::format(0) == QLatin1String("0"));
    CHECK(ByteSize::format(1) == QLatin1String("1"));
    CHECK(ByteSize::format(1023) == QLatin1String("1023"));
    CHECK(ByteSize::format(1024) == QLatin1String("1k"));
    CHECK(ByteSize::format(1536) == QLatin1String("1.5k"));
    CHECK(ByteSize::format(150000) == QLatin1String("146k"));
    CHECK(ByteSize::format(102399) == QLatin1String("100.0k"));
    CHECK(ByteSize::format(102400) == QLatin1String("100k"));
    CHECK(ByteSize::format(1048575) == QLatin1String("1023k"));
    CHECK(ByteSize::format(10485761) == QLatin1String("10.0m"));
    CHECK(ByteSize::format(qint64(2) << 30) == QLatin1String("2g"));
    CHECK(ByteSize::format(Q_INT64_C(1099511627775)) == QLatin1String("1023g"));
    CHECK(ByteSize::format(Q_INT64_C(1649267441664)) == QLatin1String("1.5t"));
    CHECK(ByteSize::format(Q_INT64_C(1234567890123)) == QLatin1String("1.1t"));
    CHECK(ByteSize::format(Q_INT64_C(6047313952768)) == QLatin1String("5.5t"));
    CHECK(ByteSize::format(-5) == QLatin1String("-5"));
    // A tie rounds to even in Python's "%.1f": 1.25k is "1.2k", 2.25k "2.2k", 3.75k "3.8k".
    CHECK(ByteSize::format(1280) == QLatin1String("1.2k"));
    CHECK(ByteSize::format(2304) == QLatin1String("2.2k"));
    CHECK(ByteSize::format(3840) == QLatin1String("3.8k"));
    CHECK(ByteSize::format(qint64(5) << 28) == QLatin1String("1.2g"));
    // include_bytes=True, as the worker's "Uploading results: ... uploaded" status writes a size.
    CHECK(ByteSize::formatWithBytes(0) == QLatin1String("0 bytes"));
    CHECK(ByteSize::formatWithBytes(512) == QLatin1String("512 bytes"));
    CHECK(ByteSize::formatWithBytes(2048) == QLatin1String("2k"));
    // Past upstream's range (it returns None there): still counted in t.
    CHECK(ByteSize::format(qint64(2048) << 40) == QLatin1String("2048t"));
    CHECK(ByteSize::format(std::numeric_limits<qint64>::max())
        == QLatin1String("8388607t")); // whole units, never rounded up past what parse() reads
}

TEST_CASE("a formatted whole size parses back to itself", "[bytesize]")
{
    for (qint64 bytes :
        { qint64(0), qint64(512), qint64(1) << 10, qint64(7) << 20, qint64(10) << 30, qint64(3) << 40 }) {
        CHECK(ByteSize::parse(ByteSize::format(bytes)) == bytes);
    }
}

TEST_CASE("the largest sizes format to what parse reads back (found by fuzz_bytesize)", "[bytesize]")
{
    for (const qint64 bytes : { std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::max() - 1,
             (qint64(1) << 62) + 12345, qint64(1) << 40 }) {
        const QString text = ByteSize::format(bytes);
        INFO(bytes << " -> " << text.toStdString());
        const auto back = ByteSize::parse(text);
        REQUIRE(back.has_value());
        CHECK(*back <= bytes); // whole units: never more than it was
        CHECK(bytes - *back < (qint64(1) << 40));
    }
    CHECK(ByteSize::format(std::numeric_limits<qint64>::max()) == QLatin1String("8388607t"));
}
