// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMutex>

#include <atomic>
#include <functional>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace codalab::util {

/// Lets a task on a pool thread hand its result back to a QObject that may be deleted before it ends.
///
/// Usage: the owner makes one with `std::make_shared<TaskLink>(this)` and calls detach() in its destructor
/// (and wherever it stops caring); the task keeps a copy of the shared_ptr, may poll isDetached() to stop
/// early, and ends with post(), which queues a call on the owner's thread unless detach() came first.
/// Posting takes the lock that detach() takes, and QObject's destructor drops calls still queued for it,
/// so a posted call never reaches a deleted owner, whichever thread deletes what when.
class TaskLink
{
public:
    explicit TaskLink(QObject *owner)
        : m_owner(owner)
    { }

    /// From the owner's thread. After it returns, nothing more is posted.
    void detach();
    bool isDetached() const { return m_detached.load(std::memory_order_relaxed); }
    /// From any thread: queues `call` on the owner's thread; false (and nothing queued) once detached.
    bool post(std::function<void()> call);

private:
    QMutex m_mutex;
    QObject *m_owner;
    std::atomic<bool> m_detached { false };
};

} // namespace codalab::util
