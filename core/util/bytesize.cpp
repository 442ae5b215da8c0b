// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/bytesize.h"

#include "util/decimalnumber.h"

#include <cmath>

namespace codalab::util {

namespace {

constexpr char units[] = { 'k', 'm', 'g', 't' };

} // namespace

std::optional<qint64> ByteSize::parse(const QString &text, QString *error)
{
    const auto fail = [&](bool tooLarge) -> std::optional<qint64> {
        if (error) {
            *error = tooLarge ? QStringLiteral("Invalid size: %1, too large").arg(text)
                              : QStringLiteral("Invalid size: %1, expected <number>[<k|m|g|t>]").arg(text);
        }
        return std::nullopt;
    };
    const QString trimmed = text.trimmed();
    const QStringView s(trimmed);
    if (s.isEmpty()) {
        return fail(false);
    }
    const QChar last = s.back().toLower();
    if (last >= QLatin1Char('0') && last <= QLatin1Char('9')) {
        // Upstream's int(s): digits only, so "1.5" without a unit is refused.
        if (const std::optional<qint64> value = DecimalNumber::parseInteger(s)) {
            return value;
        }
        // Digits that do not fit are too large; a fraction or a sign is not a size at all.
        const bool digitsOnly = !s.contains(QLatin1Char('.')) && DecimalNumber::parseUnsigned(s).has_value();
        return fail(digitsOnly);
    }
    int power = -1;
    for (int i = 0; i < 4; ++i) {
        if (last == QLatin1Char(units[i])) {
            power = i + 1;
        }
    }
    const std::optional<double> number = DecimalNumber::parseUnsigned(s.chopped(1));
    if (power < 0 || !number) {
        return fail(false);
    }
    // Multiplying by powers of two is exact, so this is upstream's int(n * 1024 ...) to the bit.
    const double bytes = std::ldexp(*number, 10 * power);
    if (!DecimalNumber::fitsInt64(bytes)) {
        return fail(true);
    }
    return qint64(bytes);
}

QString ByteSize::formatWithBytes(qint64 bytes)
{
    return bytes < 1024 ? QStringLiteral("%1 bytes").arg(bytes) : format(bytes);
}

QString ByteSize::format(qint64 bytes)
{
    if (bytes < 1024) {
        return QString::number(bytes);
    }
    double size = double(bytes);
    for (int i = 0; i < 4; ++i) {
        size /= 1024.0;
        const QChar unit = QLatin1Char(units[i]);
        if (size < 100 && size != std::trunc(size)) {
            return DecimalNumber::oneDecimal(size) + unit;
        }
        // Upstream stops at t (and returns None past it); counting on in t keeps every value printable.
        if (size < 1024 || i == 3) {
            // Whole units by integer division: near INT64_MAX the double rounds up (2^63 - 1 would print as
            // 8388608t, which parse() refuses as too large).
            return QString::number(bytes >> (10 * (i + 1))) + unit;
        }
    }
    Q_UNREACHABLE();
    return QString();
}

} // namespace codalab::util
