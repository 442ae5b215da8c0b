// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/duration.h"

#include "util/decimalnumber.h"

#include <cmath>
#include <limits>

namespace codalab::util {

namespace {

struct Unit
{
    char letter;
    qint64 seconds;
};
constexpr Unit units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'y', 365 * 86400 } };

// duration_str on a magnitude: the largest unit and the next one down, remainders cut off.
QString formatMagnitude(quint64 s)
{
    quint64 m = s / 60;
    if (m == 0) {
        return DecimalNumber::oneDecimal(double(s)) + QLatin1Char('s');
    }
    s -= m * 60;
    quint64 h = m / 60;
    if (h == 0) {
        return QStringLiteral("%1m%2s").arg(m).arg(s);
    }
    m -= h * 60;
    quint64 d = h / 24;
    if (d == 0) {
        return QStringLiteral("%1h%2m").arg(h).arg(m);
    }
    h -= d * 24;
    const quint64 y = d / 365;
    if (y == 0) {
        return QStringLiteral("%1d%2h").arg(d).arg(h);
    }
    d -= y * 365;
    return QStringLiteral("%1y%2d").arg(y).arg(d);
}

} // namespace

std::optional<qint64> Duration::parse(const QString &text, QString *error)
{
    const auto fail = [&](bool tooLarge) -> std::optional<qint64> {
        if (error) {
            *error = tooLarge
                ? QStringLiteral("Invalid duration: %1, too large").arg(text)
                : QStringLiteral("Invalid duration: %1, expected <number>[<s|m|h|d|y>]").arg(text);
        }
        return std::nullopt;
    };
    const QString trimmed = text.trimmed();
    const QStringView s(trimmed);
    if (s.isEmpty()) {
        return fail(false);
    }
    // Upstream: a last character that is a digit means seconds, and float() takes the whole string.
    const QChar last = s.back().toLower();
    qint64 unitSeconds = 0;
    QStringView number = s.chopped(1);
    if (last >= QLatin1Char('0') && last <= QLatin1Char('9')) {
        unitSeconds = 1;
        number = s;
    }
    for (const Unit &unit : units) {
        if (last == QLatin1Char(unit.letter)) {
            unitSeconds = unit.seconds;
        }
    }
    const std::optional<double> value = DecimalNumber::parseUnsigned(number);
    if (unitSeconds == 0 || !value) {
        return fail(false);
    }
    const double seconds = *value * double(unitSeconds);
    if (!DecimalNumber::fitsInt64(seconds)) {
        return fail(true);
    }
    return qint64(seconds);
}

QString Duration::formatFractional(double seconds)
{
    // duration_str on a float: a fraction shows below a minute ("2.6s", and 59.96 is "60.0s" as there);
    // above it, whole units cut down as for whole seconds.
    if (seconds >= 0 && seconds < 60) {
        return DecimalNumber::oneDecimal(seconds) + QLatin1Char('s');
    }
    return DecimalNumber::fitsInt64(std::abs(seconds)) ? format(qint64(seconds))
                                                       : format(std::numeric_limits<qint64>::max());
}

QString Duration::format(qint64 seconds)
{
    // Two's complement: 0 - quint64(seconds) is the magnitude even for the most negative value.
    return seconds < 0 ? QLatin1Char('-') + formatMagnitude(0 - quint64(seconds))
                       : formatMagnitude(quint64(seconds));
}

} // namespace codalab::util
