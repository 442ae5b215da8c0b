// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/bundlerecord.h"

#include "server/bundlestate.h"

namespace codalab::localserver {

bool BundleRecord::isFinal() const
{
    return server::BundleState::isFinal(state);
}

} // namespace codalab::localserver
