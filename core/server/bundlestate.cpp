// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/bundlestate.h"

namespace codalab::server {

QStringList BundleState::all()
{
    return { Uploading, Created, Staged, Making, Starting, Preparing, Running, Finalizing, Ready, Failed,
        Killed, WorkerOffline };
}

bool BundleState::isFinal(QStringView state)
{
    return state == Ready || state == Failed || state == Killed;
}

bool BundleState::isActive(QStringView state)
{
    return state == Starting || state == Preparing || state == Running || state == Finalizing
        || state == Making;
}

bool BundleState::isBeforeStart(QStringView state)
{
    return state == Created || state == Staged || state == Uploading;
}

} // namespace codalab::server
