// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace codalab::util {

/// CodaLab's size strings: "3", "3k", "1.5g", "2t" (powers of 1024), as upstream's
/// codalab/lib/formatting.py reads (parse_size) and writes (size_str) them, so a value typed here means
/// what it means to `cl run --request-memory` and to `cl-worker --max-work-dir-size`.
class ByteSize
{
public:
    ByteSize() = delete;

    /// "<number>[<k|m|g|t>]", unit case-insensitive, surrounding whitespace ignored. As upstream: a bare
    /// number must be an integer ("1.5" is refused, "1.5k" is 1536), and a fraction of a byte is cut off
    /// (int()). Stricter than upstream: no sign (a negative size is refused), no exponent, "inf" or "nan",
    /// no "b" suffix ("3kb" is refused upstream too), and values past qint64 are refused, not wrapped.
    /// On failure returns nullopt and, when `error` is given, upstream's message
    /// "Invalid size: <text>, expected <number>[<k|m|g|t>]" (or "..., too large").
    static std::optional<qint64> parse(const QString &text, QString *error = nullptr);

    /// Upstream's size_str: 1023 -> "1023", 1536 -> "1.5k", 2 GiB -> "2g", 150000 -> "146k" (a value of
    /// 100 or more in its unit is cut to an integer; below 100 it keeps one decimal unless it is whole).
    /// Upstream gives None from 1024t on; this keeps counting in t ("2048t"). Negative values print as
    /// plain integers, as upstream's does.
    static QString format(qint64 bytes);
    /// size_str(bytes, include_bytes=True): "512 bytes" below 1 KiB, else as format().
    static QString formatWithBytes(qint64 bytes);
};

} // namespace codalab::util
