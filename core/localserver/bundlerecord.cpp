// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundlerecord.h"

namespace codalab::localserver {

bool BundleRecord::isFinal() const
{
    return isFinalState(state);
}

bool BundleRecord::isFinalState(const QString &state)
{
    return state == QLatin1String("ready") || state == QLatin1String("failed")
        || state == QLatin1String("killed");
}

} // namespace codalab::localserver
