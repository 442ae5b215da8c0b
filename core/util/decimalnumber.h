// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace codalab::util {

/// The number part of CodaLab's size and duration strings (ByteSize, Duration).
class DecimalNumber
{
public:
    DecimalNumber() = delete;

    /// "12", "1.5", ".5", "5.": what Python's float() reads there, minus what a size or a duration must
    /// not be (a sign, an exponent, "inf", "nan", "1_000"). Locale-independent.
    static std::optional<double> parseUnsigned(QStringView text);
    /// Digits only, as upstream's int() reads a size without a unit; nullopt past qint64.
    static std::optional<qint64> parseInteger(QStringView text);
    /// True when `value` (not NaN) fits a qint64 once cut to an integer.
    static bool fitsInt64(double value) { return value < 9223372036854775808.0; }
    /// Python's "%.1f" % value: the double's exact value rounded to one decimal, a tie to even (1.25 ->
    /// "1.2"), as glibc's printf does. Qt's QString::number rounds a tie up, which sizes and durations that
    /// must read as upstream's cannot use.
    static QString oneDecimal(double value);
};

} // namespace codalab::util
