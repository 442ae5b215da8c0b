// SPDX-License-Identifier: GPL-3.0-or-later
// ByteSize::parse on any text (what `--request-memory` or a bundle's request_disk may hold), and the
// promises around it: an error message on failure, case and surrounding spaces ignored, and format()
// output that parses back close to the value (exactly for a whole number of units).
#include "fuzzsupport.h"
#include "util/bytesize.h"

#include <cmath>
#include <cstring>

using codalab::fuzz::check;
using codalab::util::ByteSize;

namespace {

/// The value is a whole number of some unit below 1024 of it: format() writes it without a fraction.
bool isWhole(qint64 bytes)
{
    if (bytes < 1024) {
        return true;
    }
    for (int power = 1; power <= 4; ++power) {
        const qint64 unit = qint64(1) << (10 * power);
        if (bytes % unit == 0 && (bytes / unit < 1024 || power == 4)) {
            return true;
        }
    }
    return false;
}

void checkFormat(qint64 bytes)
{
    const QString text = ByteSize::format(bytes);
    check(!text.isEmpty(), "format() writes something");
    if (bytes < 0) {
        check(text == QString::number(bytes), "a negative size prints as a plain integer", text);
        check(!ByteSize::parse(text), "a negative size does not parse", text);
        return;
    }
    QString error;
    const std::optional<qint64> back = ByteSize::parse(text, &error);
    // format() writes whole units by integer division, so even 2^63 - 1 ("8388607t") parses back (it printed
    // "8388608t", 2^63, before the fuzzer found it; tests/fuzz/crashes/bytesize keeps that input).
    check(back.has_value(), "format() output parses back",
        QString::number(bytes) + QLatin1String(" -> ") + text + QLatin1String(": ") + error);
    if (!back) {
        return;
    }
    if (isWhole(bytes)) {
        check(*back == bytes, "a whole size round-trips exactly",
            QStringLiteral("%1 -> %2 -> %3").arg(bytes).arg(text).arg(*back));
    }
    // One decimal below 100 of a unit (at most 0.05 of it off, at least 1 unit big), the integer part at
    // or above 100 (under 1 unit off, at least 100 units big): within 5 %.
    const double off = std::fabs(double(*back) - double(bytes));
    check(off <= 0.05 * double(bytes) + 1, "format() output parses back close to the value",
        QStringLiteral("%1 -> %2 -> %3").arg(bytes).arg(text).arg(*back));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(codalab::fuzz::bytes(data, size));
    QString error;
    const std::optional<qint64> value = ByteSize::parse(text, &error);
    if (!value) {
        check(error.startsWith(QLatin1String("Invalid size: ")), "a refused size says why", error);
        check(!ByteSize::parse(text), "parse() without an error pointer agrees", text);
    } else {
        check(*value >= 0, "a parsed size is never negative", text);
        check(ByteSize::parse(text) == value, "parse() is deterministic", text);
        check(ByteSize::parse(QLatin1Char(' ') + text + QLatin1Char('\t')) == value,
            "surrounding spaces are ignored", text);
        bool ascii = true;
        for (const QChar c : text) {
            ascii = ascii && c.unicode() < 128;
        }
        if (ascii) {
            check(ByteSize::parse(text.toUpper()) == value && ByteSize::parse(text.toLower()) == value,
                "the unit's case is ignored", text);
        }
        checkFormat(*value);
    }
    // format() on any qint64, negative ones and the extremes included.
    if (size >= sizeof(qint64)) {
        qint64 raw = 0;
        std::memcpy(&raw, data, sizeof raw);
        checkFormat(raw);
    }
    return 0;
}
