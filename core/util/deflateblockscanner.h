// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace codalab::util {

/// Walks the blocks of one raw DEFLATE stream (RFC 1951) without writing what they decode to, to find where
/// its final block begins and where it ends, in bits. ParallelGzipWriter needs both to splice streams that
/// libdeflate compressed separately into one: libdeflate always marks its last block final, and offers no
/// sync flush, so the writer clears that block's BFINAL bit and continues after its end-of-block code.
class DeflateBlockScanner
{
public:
    DeflateBlockScanner() = delete;

    struct Ends
    {
        std::uint64_t finalBlockBit = 0; ///< the bit that holds the final block's BFINAL flag
        std::uint64_t endBit = 0; ///< the first bit after the final block
    };
    /// nullopt when the bytes are not a complete, valid stream (truncated, a bad code, a bad stored length).
    static std::optional<Ends> scan(const std::uint8_t *data, std::size_t size);
};

} // namespace codalab::util
