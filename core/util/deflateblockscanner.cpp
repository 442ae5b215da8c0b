// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/deflateblockscanner.h"

#include <algorithm>
#include <array>
#include <vector>

namespace codalab::util {

namespace {

// LSB-first bit reader over a byte buffer; every read is bounds-checked (reads past the end fail).
class BitReader
{
public:
    BitReader(const std::uint8_t *data, std::size_t size)
        : m_data(data)
        , m_bits(std::uint64_t(size) * 8)
    { }

    bool ok() const { return m_ok; }
    std::uint64_t position() const { return m_position; }

    /// The next `count` (<= 16) bits without consuming them; bits past the end read as zero.
    std::uint32_t peek(int count) const
    {
        std::uint32_t value = 0;
        std::uint64_t byte = m_position >> 3;
        const int shift = int(m_position & 7);
        // Up to 16 bits plus a 7-bit offset fit in three bytes.
        for (int i = 0; i < 3 && (byte + std::uint64_t(i)) * 8 < m_bits; ++i) {
            value |= std::uint32_t(m_data[byte + std::uint64_t(i)]) << (8 * i);
        }
        return (value >> shift) & ((1u << count) - 1);
    }
    std::uint32_t take(int count)
    {
        if (m_position + std::uint64_t(count) > m_bits) {
            m_ok = false;
            m_position = m_bits;
            return 0;
        }
        const std::uint32_t value = peek(count);
        m_position += std::uint64_t(count);
        return value;
    }
    void skip(std::uint64_t count)
    {
        if (m_position + count > m_bits) {
            m_ok = false;
            m_position = m_bits;
            return;
        }
        m_position += count;
    }
    void alignToByte() { skip((8 - (m_position & 7)) & 7); }

private:
    const std::uint8_t *m_data;
    std::uint64_t m_bits;
    std::uint64_t m_position = 0;
    bool m_ok = true;
};

// A canonical Huffman code as a table indexed by the next maxLength bits of input (codes are stored
// bit-reversed in the stream, so each code fills every index whose low `length` bits are its reversal).
class HuffmanTable
{
public:
    bool build(const std::uint8_t *lengths, int symbols)
    {
        std::array<int, 16> count {};
        m_maxLength = 0;
        for (int s = 0; s < symbols; ++s) {
            ++count[lengths[s]];
            m_maxLength = std::max(m_maxLength, int(lengths[s]));
        }
        if (m_maxLength == 0) {
            return false;
        }
        // Over-subscribed codes are invalid; incomplete ones are allowed (a lone distance code).
        int left = 1;
        for (int length = 1; length <= 15; ++length) {
            left = (left << 1) - count[length];
            if (left < 0) {
                return false;
            }
        }
        // Canonical codes: each length's first code follows the last of the shorter lengths.
        std::array<std::uint32_t, 16> next {};
        std::uint32_t code = 0;
        count[0] = 0;
        for (int length = 1; length <= 15; ++length) {
            code = (code + std::uint32_t(count[std::size_t(length - 1)])) << 1;
            next[std::size_t(length)] = code;
        }
        m_entries.assign(std::size_t(1) << m_maxLength, 0);
        for (int s = 0; s < symbols; ++s) {
            const int length = lengths[s];
            if (length == 0) {
                continue;
            }
            const std::uint32_t reversed = reverse(next[length]++, length);
            const std::uint32_t entry = (std::uint32_t(length) << 16) | std::uint32_t(s);
            for (std::uint32_t index = reversed; index < m_entries.size(); index += 1u << length) {
                m_entries[index] = entry;
            }
        }
        return true;
    }

    /// The next symbol, or -1 on a bit pattern no code has.
    int decode(BitReader &in) const
    {
        const std::uint32_t entry = m_entries[in.peek(m_maxLength)];
        const int length = int(entry >> 16);
        if (length == 0) {
            return -1;
        }
        in.take(length);
        return in.ok() ? int(entry & 0xffff) : -1;
    }

private:
    static std::uint32_t reverse(std::uint32_t code, int length)
    {
        std::uint32_t out = 0;
        for (int i = 0; i < length; ++i) {
            out = (out << 1) | ((code >> i) & 1);
        }
        return out;
    }

    std::vector<std::uint32_t> m_entries;
    int m_maxLength = 0;
};

int lengthExtraBits(int symbol)
{
    if (symbol < 265 || symbol == 285) {
        return 0;
    }
    return (symbol - 261) / 4;
}

// Skips one Huffman-coded block's symbols up to its end-of-block code.
bool skipSymbols(BitReader &in, const HuffmanTable &literals, const HuffmanTable &distances)
{
    for (;;) {
        const int symbol = literals.decode(in);
        if (symbol < 0 || symbol > 285) {
            return false;
        }
        if (symbol == 256) {
            return true;
        }
        if (symbol > 256) {
            in.take(lengthExtraBits(symbol));
            const int distance = distances.decode(in);
            if (distance < 0 || distance > 29) {
                return false;
            }
            in.take(distance < 4 ? 0 : distance / 2 - 1);
        }
        if (!in.ok()) {
            return false;
        }
    }
}

bool readDynamicTables(BitReader &in, HuffmanTable &literals, HuffmanTable &distances)
{
    const int literalCount = int(in.take(5)) + 257;
    const int distanceCount = int(in.take(5)) + 1;
    const int codeLengthCount = int(in.take(4)) + 4;
    if (!in.ok() || literalCount > 286 || distanceCount > 30) {
        return false;
    }
    static constexpr std::array<int, 19> order { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1,
        15 };
    std::array<std::uint8_t, 19> codeLengths {};
    for (int i = 0; i < codeLengthCount; ++i) {
        codeLengths[std::size_t(order[std::size_t(i)])] = std::uint8_t(in.take(3));
    }
    HuffmanTable codeLengthCode;
    if (!in.ok() || !codeLengthCode.build(codeLengths.data(), 19)) {
        return false;
    }
    std::array<std::uint8_t, 286 + 30> lengths {};
    const int total = literalCount + distanceCount;
    for (int i = 0; i < total;) {
        const int symbol = codeLengthCode.decode(in);
        if (symbol < 0) {
            return false;
        }
        if (symbol < 16) {
            lengths[std::size_t(i++)] = std::uint8_t(symbol);
            continue;
        }
        int repeat = 0;
        std::uint8_t value = 0;
        if (symbol == 16) {
            if (i == 0) {
                return false;
            }
            value = lengths[std::size_t(i - 1)];
            repeat = 3 + int(in.take(2));
        } else if (symbol == 17) {
            repeat = 3 + int(in.take(3));
        } else {
            repeat = 11 + int(in.take(7));
        }
        if (!in.ok() || i + repeat > total) {
            return false;
        }
        while (repeat-- > 0) {
            lengths[std::size_t(i++)] = value;
        }
    }
    if (lengths[256] == 0) {
        return false; // no end-of-block code
    }
    return literals.build(lengths.data(), literalCount)
        && distances.build(lengths.data() + literalCount, distanceCount);
}

void fixedTables(HuffmanTable &literals, HuffmanTable &distances)
{
    std::array<std::uint8_t, 288> lengths {};
    for (std::size_t s = 0; s < lengths.size(); ++s) {
        lengths[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    }
    literals.build(lengths.data(), 288);
    std::array<std::uint8_t, 30> distanceLengths {};
    distanceLengths.fill(5);
    distances.build(distanceLengths.data(), 30);
}

} // namespace

std::optional<DeflateBlockScanner::Ends> DeflateBlockScanner::scan(const std::uint8_t *data, std::size_t size)
{
    BitReader in(data, size);
    HuffmanTable literals;
    HuffmanTable distances;
    for (;;) {
        const std::uint64_t header = in.position();
        const bool final = in.take(1) != 0;
        const std::uint32_t type = in.take(2);
        if (!in.ok()) {
            return std::nullopt;
        }
        if (type == 0) {
            in.alignToByte();
            const std::uint32_t length = in.take(16);
            const std::uint32_t complement = in.take(16);
            if (!in.ok() || (length ^ 0xffff) != complement) {
                return std::nullopt;
            }
            in.skip(std::uint64_t(length) * 8);
        } else if (type == 1) {
            fixedTables(literals, distances);
            if (!skipSymbols(in, literals, distances)) {
                return std::nullopt;
            }
        } else if (type == 2) {
            if (!readDynamicTables(in, literals, distances) || !skipSymbols(in, literals, distances)) {
                return std::nullopt;
            }
        } else {
            return std::nullopt;
        }
        if (!in.ok()) {
            return std::nullopt;
        }
        if (final) {
            return Ends { header, in.position() };
        }
    }
}

} // namespace codalab::util
