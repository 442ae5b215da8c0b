// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace codalab::util {

/// CodaLab's duration strings: "3" (seconds), "3s", "3m", "3h", "3d", "3y" (365 days), as upstream's
/// codalab/lib/formatting.py reads (parse_duration) and writes (duration_str) them: `--request-time`,
/// and the times shown for runs.
class Duration
{
public:
    Duration() = delete;

    /// "<number>[<s|m|h|d|y>]", unit case-insensitive, surrounding whitespace ignored; decimals allowed
    /// with or without a unit ("1.5h" is 5400). Upstream keeps a float; this returns whole seconds, a
    /// fraction cut off toward zero ("2.9s" -> 2). Refused: a sign (negative durations), exponents,
    /// "inf"/"nan", values past qint64. On failure returns nullopt and, when `error` is given, upstream's
    /// message "Invalid duration: <text>, expected <number>[<s|m|h|d|y>]" (or "..., too large").
    static std::optional<qint64> parse(const QString &text, QString *error = nullptr);

    /// Upstream's duration_str, two units at most: 5 -> "5.0s", 100 -> "1m40s", 10000 -> "2h46m",
    /// 90000 -> "1d1h", 400 days -> "1y35d". A negative value is "-" and the formatted magnitude (upstream
    /// prints nonsense such as "-1y364d" for -5).
    static QString format(qint64 seconds);
    /// The same on a float, as the worker's time-limit message passes the container's uptime: 2.6 ->
    /// "2.6s", 59.96 -> "60.0s", 90.9 -> "1m30s".
    static QString formatFractional(double seconds);
};

} // namespace codalab::util
