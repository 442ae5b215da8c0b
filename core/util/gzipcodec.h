// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <optional>

namespace codalab::util {

/// gzip (RFC 1952) in memory, with zlib: `Content-Encoding: gzip` answers and the gzipped replies of
/// the worker's `read` protocol. Qt's qCompress writes zlib's own format, which no HTTP client reads.
class GzipCodec
{
public:
    static QByteArray compress(const QByteArray &data);
    /// nullopt for a corrupt stream, or one that would expand past maxBytes.
    static std::optional<QByteArray> decompress(const QByteArray &gzip, qint64 maxBytes);
};

} // namespace codalab::util
