// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/tasklink.h"

#include <QMetaObject>
#include <QObject>

namespace codalab::util {

void TaskLink::detach()
{
    const QMutexLocker lock(&m_mutex);
    m_owner = nullptr;
    m_detached.store(true, std::memory_order_relaxed);
}

bool TaskLink::post(std::function<void()> call)
{
    const QMutexLocker lock(&m_mutex);
    if (!m_owner) {
        return false;
    }
    QMetaObject::invokeMethod(m_owner, std::move(call), Qt::QueuedConnection);
    return true;
}

} // namespace codalab::util
