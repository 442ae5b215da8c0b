// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/decimalnumber.h"

#include <QByteArray>

#include <charconv>
#include <cstdio>
#include <limits>

namespace codalab::util {

namespace {

bool isDigit(QChar c)
{
    // QChar::isDigit() would take Arabic-Indic and other digits that from_chars cannot read.
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

} // namespace

std::optional<double> DecimalNumber::parseUnsigned(QStringView text)
{
    int digits = 0;
    int points = 0;
    for (const QChar c : text) {
        if (isDigit(c)) {
            ++digits;
        } else if (c == QLatin1Char('.')) {
            ++points;
        } else {
            return std::nullopt;
        }
    }
    if (digits == 0 || points > 1) {
        return std::nullopt;
    }
    const QByteArray latin1 = text.toLatin1();
    const char *end = latin1.constData() + latin1.size();
    double value = 0;
    const auto [stop, ec] = std::from_chars(latin1.constData(), end, value);
    if (ec != std::errc() || stop != end) {
        return std::nullopt;
    }
    return value;
}

std::optional<qint64> DecimalNumber::parseInteger(QStringView text)
{
    if (text.isEmpty()) {
        return std::nullopt;
    }
    qint64 value = 0;
    for (const QChar c : text) {
        if (!isDigit(c)) {
            return std::nullopt;
        }
        const int digit = c.unicode() - '0';
        if (value > (std::numeric_limits<qint64>::max() - digit) / 10) {
            return std::nullopt;
        }
        value = value * 10 + digit;
    }
    return value;
}

QString DecimalNumber::oneDecimal(double value)
{
    char text[400]; // the longest double in %.1f: 309 digits, a sign, a point and a decimal
    const int n = std::snprintf(text, sizeof text, "%.1f", value);
    return QString::fromLatin1(text, n > 0 ? qMin(n, int(sizeof text) - 1) : 0);
}

} // namespace codalab::util
