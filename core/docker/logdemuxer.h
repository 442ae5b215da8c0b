// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace codalab::docker {

enum class LogStreamType : quint8 { Stdin = 0, Stdout = 1, Stderr = 2, SystemError = 3 };

struct LogChunk
{
    LogStreamType stream = LogStreamType::Stdout;
    QByteArray data;

    friend bool operator==(const LogChunk &, const LogChunk &) = default;
};

/// Splits the Engine's log and attach stream into stdout/stderr chunks, incrementally.
///
/// A container without a TTY sends frames: 8-byte header [type, 0, 0, 0, size as big-endian u32], then the
/// payload. A TTY container sends raw bytes (all stdout). feed() accepts any split of the stream, one byte
/// at a time included, and hands back payload as soon as it arrives, so a large frame is never buffered
/// whole. A header that cannot be one (type > 3 or non-zero padding) is a protocol error: the stream is
/// not what the caller said it was, and nothing more is returned.
class LogDemuxer
{
public:
    enum class Mode { Multiplexed, Raw };

    explicit LogDemuxer(Mode mode = Mode::Multiplexed);

    QList<LogChunk> feed(QByteArrayView data);

    bool hasError() const { return !m_error.isEmpty(); }
    const QString &errorString() const { return m_error; }
    /// True when the stream stopped inside a header or payload: the peer cut it short.
    bool isMidFrame() const { return m_headerFill > 0 || m_remaining > 0; }

private:
    Mode m_mode;
    char m_header[8] = {};
    int m_headerFill = 0;
    quint32 m_remaining = 0;
    LogStreamType m_current = LogStreamType::Stdout;
    qint64 m_offset = 0;
    QString m_error;
};

} // namespace codalab::docker
