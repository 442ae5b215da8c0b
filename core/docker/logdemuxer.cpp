// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/logdemuxer.h"

#include <cstring>

namespace codalab::docker {

LogDemuxer::LogDemuxer(Mode mode)
    : m_mode(mode)
{ }

QList<LogChunk> LogDemuxer::feed(QByteArrayView data)
{
    QList<LogChunk> out;
    if (hasError() || data.isEmpty()) {
        return out;
    }
    if (m_mode == Mode::Raw) {
        out.append({ LogStreamType::Stdout, data.toByteArray() });
        m_offset += data.size();
        return out;
    }
    // Appends payload to the last chunk when it continues the same stream, so one feed() yields one
    // chunk per run of a stream rather than one per frame.
    const auto emitPayload = [&out](LogStreamType type, QByteArrayView bytes) {
        if (!out.isEmpty() && out.last().stream == type) {
            out.last().data.append(bytes);
        } else {
            out.append({ type, bytes.toByteArray() });
        }
    };
    qsizetype pos = 0;
    while (pos < data.size()) {
        if (m_remaining == 0) {
            const qsizetype take = qMin<qsizetype>(8 - m_headerFill, data.size() - pos);
            std::memcpy(m_header + m_headerFill, data.data() + pos, size_t(take));
            m_headerFill += int(take);
            pos += take;
            if (m_headerFill < 8) {
                break;
            }
            m_headerFill = 0;
            const auto type = quint8(m_header[0]);
            if (type > 3 || m_header[1] != 0 || m_header[2] != 0 || m_header[3] != 0) {
                m_error = QStringLiteral(
                    "Malformed log frame header at byte %1 (type %2): not a multiplexed stream")
                              .arg(m_offset + pos - 8)
                              .arg(type);
                return out;
            }
            const auto *s = reinterpret_cast<const uchar *>(m_header + 4);
            m_remaining
                = (quint32(s[0]) << 24) | (quint32(s[1]) << 16) | (quint32(s[2]) << 8) | quint32(s[3]);
            m_current = LogStreamType(type);
            continue;
        }
        const qsizetype take = qMin<qsizetype>(qsizetype(m_remaining), data.size() - pos);
        emitPayload(m_current, data.sliced(pos, take));
        m_remaining -= quint32(take);
        pos += take;
    }
    m_offset += data.size();
    return out;
}

} // namespace codalab::docker
