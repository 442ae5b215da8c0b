// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/statecolour.h"

#include "server/bundlestate.h"

#include <QColor>

namespace codalab::ui {

using server::BundleState;

QVariant StateColour::of(const QString &state)
{
    if (state == BundleState::Failed) {
        return QColor(0xc6, 0x28, 0x28);
    }
    if (state == BundleState::Ready) {
        return QColor(0x2e, 0x7d, 0x32);
    }
    if (state == BundleState::Killed) {
        return QColor(0x75, 0x75, 0x75);
    }
    if (state == BundleState::Staged || state == BundleState::WorkerOffline) {
        return QColor(0xb2, 0x6a, 0x00);
    }
    if (BundleState::isActive(state) || state == BundleState::Created) {
        return QColor(0x15, 0x65, 0xc0);
    }
    return {};
}

} // namespace codalab::ui
