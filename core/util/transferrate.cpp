// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/transferrate.h"

#include <cmath>

namespace codalab::util {

void TransferRate::sample(qint64 bytesDone, qint64 msecs)
{
    m_samples.push_back({ bytesDone, msecs });
    // Keep one sample older than the window, so the rate always spans at least the window once it can.
    while (m_samples.size() > 2 && msecs - m_samples[1].msecs >= m_windowMs) {
        m_samples.pop_front();
    }
}

double TransferRate::bytesPerSecond() const
{
    if (m_samples.size() < 2) {
        return 0;
    }
    const Sample &first = m_samples.front();
    const Sample &last = m_samples.back();
    const qint64 elapsed = last.msecs - first.msecs;
    return elapsed < 200 ? 0 : double(last.bytes - first.bytes) * 1000.0 / double(elapsed);
}

qint64 TransferRate::secondsLeft(qint64 totalBytes) const
{
    const double rate = bytesPerSecond();
    if (rate <= 0 || totalBytes <= 0) {
        return -1;
    }
    return qint64(std::ceil(double(qMax<qint64>(0, totalBytes - bytesDone())) / rate));
}

} // namespace codalab::util
