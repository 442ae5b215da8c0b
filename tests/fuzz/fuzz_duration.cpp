// SPDX-License-Identifier: GPL-3.0-or-later
// Duration::parse on any text (`--request-time`, a bundle's request_time), and format() on what it gives
// and on any qint64: format() writes "<n>.0s" below a minute, which parses back exactly, and otherwise
// the two largest units, whose sum is the value cut down to the smaller unit.
#include "fuzzsupport.h"
#include "util/duration.h"

#include <QRegularExpression>

#include <cstring>

using codalab::fuzz::check;
using codalab::util::Duration;

namespace {

quint64 unitSeconds(QChar unit)
{
    switch (unit.toLatin1()) {
    case 's':
        return 1;
    case 'm':
        return 60;
    case 'h':
        return 3600;
    case 'd':
        return 86400;
    case 'y':
        return 365 * 86400;
    default:
        return 0;
    }
}

void checkFormat(qint64 seconds)
{
    const QString text = Duration::format(seconds);
    const bool negative = seconds < 0;
    check(text.startsWith(QLatin1Char('-')) == negative, "only a negative duration starts with '-'", text);
    const quint64 magnitude = negative ? 0 - quint64(seconds) : quint64(seconds);
    const QString rest = negative ? text.mid(1) : text;
    if (magnitude < 60) {
        check(rest == QString::number(magnitude) + QLatin1String(".0s"), "under a minute: <n>.0s", text);
        if (!negative) {
            check(Duration::parse(text) == seconds, "under a minute, format() parses back exactly", text);
        }
        return;
    }
    static const QRegularExpression twoUnits(QStringLiteral("^(\\d+)([ymhd])(\\d+)([mhds])$"));
    const QRegularExpressionMatch m = twoUnits.match(rest);
    check(m.hasMatch(), "a minute or more: two units", text);
    const quint64 big = unitSeconds(m.captured(2).at(0));
    const quint64 small = unitSeconds(m.captured(4).at(0));
    check(big > small && small > 0, "the larger unit comes first", text);
    const quint64 a = m.captured(1).toULongLong();
    const quint64 b = m.captured(3).toULongLong();
    check(a > 0, "the larger unit is not zero", text);
    check(b * small < big, "the smaller unit holds less than one of the larger", text);
    const quint64 shown = a * big + b * small;
    check(shown <= magnitude && magnitude - shown < small, "the two units add up to the value",
        QStringLiteral("%1 -> %2").arg(seconds).arg(text));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(codalab::fuzz::bytes(data, size));
    QString error;
    const std::optional<qint64> value = Duration::parse(text, &error);
    if (!value) {
        check(error.startsWith(QLatin1String("Invalid duration: ")), "a refused duration says why", error);
    } else {
        check(*value >= 0, "a parsed duration is never negative", text);
        check(Duration::parse(QLatin1Char(' ') + text + QLatin1Char('\n')) == value,
            "surrounding spaces are ignored", text);
        bool ascii = true;
        for (const QChar c : text) {
            ascii = ascii && c.unicode() < 128;
        }
        if (ascii) {
            check(Duration::parse(text.toUpper()) == value, "the unit's case is ignored", text);
        }
        checkFormat(*value);
    }
    if (size >= sizeof(qint64)) {
        qint64 raw = 0;
        std::memcpy(&raw, data, sizeof raw);
        checkFormat(raw);
    }
    return 0;
}
