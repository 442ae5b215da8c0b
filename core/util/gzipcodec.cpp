// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/gzipcodec.h"

#include <zlib.h>

namespace codalab::util {

namespace {
constexpr int GzipWindowBits = 15 + 16; // +16: a gzip header and trailer instead of zlib's
}

QByteArray GzipCodec::compress(const QByteArray &data)
{
    z_stream z {};
    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, GzipWindowBits, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(qsizetype(deflateBound(&z, uLong(data.size()))) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(qsizetype(z.total_out));
    deflateEnd(&z);
    return out;
}

std::optional<QByteArray> GzipCodec::decompress(const QByteArray &gzip, qint64 maxBytes)
{
    z_stream z {};
    if (inflateInit2(&z, GzipWindowBits) != Z_OK) {
        return std::nullopt;
    }
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(gzip.constData()));
    z.avail_in = uInt(gzip.size());
    QByteArray out;
    char buffer[64 * 1024];
    int status = Z_OK;
    while (status == Z_OK) {
        z.next_out = reinterpret_cast<Bytef *>(buffer);
        z.avail_out = sizeof(buffer);
        status = inflate(&z, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) {
            break;
        }
        out.append(buffer, qsizetype(sizeof(buffer) - z.avail_out));
        if (out.size() > maxBytes) {
            status = Z_DATA_ERROR;
            break;
        }
    }
    inflateEnd(&z);
    return status == Z_STREAM_END ? std::optional(out) : std::nullopt;
}

} // namespace codalab::util
