// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/workerconfig.h"

namespace codalab::worker {

QString WorkerConfig::fileSafeId() const
{
    // The default id is "<host>(<pid>)"; keep file names to a portable set without losing distinctness.
    QString safe;
    for (const QChar c : id) {
        safe += (c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_')
                    || c == QLatin1Char('.'))
            ? c
            : QLatin1Char('_');
    }
    return safe;
}

} // namespace codalab::worker
