// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <deque>

namespace codalab::util {

/// The rate of a transfer and the time it has left, over the last few seconds of it (not since its start,
/// so a stall or a burst shows soon), as a file manager's copy dialog shows them.
///
/// Usage: sample(bytesDone, msecs) whenever progress is known (msecs from any monotonic clock);
/// bytesPerSecond() and secondsLeft(total) then.
class TransferRate
{
public:
    explicit TransferRate(qint64 windowMs = 5000)
        : m_windowMs(windowMs)
    { }

    void sample(qint64 bytesDone, qint64 msecs);
    /// 0 until two samples a moment apart.
    double bytesPerSecond() const;
    /// -1 when the rate is not known (or nothing moves).
    qint64 secondsLeft(qint64 totalBytes) const;
    qint64 bytesDone() const { return m_samples.empty() ? 0 : m_samples.back().bytes; }

private:
    struct Sample
    {
        qint64 bytes;
        qint64 msecs;
    };
    std::deque<Sample> m_samples;
    qint64 m_windowMs;
};

} // namespace codalab::util
