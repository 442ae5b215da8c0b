// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/savescheduler.h"

namespace codalab::worker {

SaveScheduler::SaveScheduler(std::function<void()> save, QObject *parent, int delayMs)
    : QObject(parent)
    , m_save(std::move(save))
{
    m_delay.setSingleShot(true);
    m_delay.setInterval(delayMs);
    connect(&m_delay, &QTimer::timeout, this, &SaveScheduler::saveNow);
}

void SaveScheduler::request(bool urgent)
{
    if (m_soon) {
        return; // a write is coming in this turn's wake, whatever it was asked for
    }
    if (urgent) {
        m_soon = true;
        QMetaObject::invokeMethod(this, &SaveScheduler::saveNow, Qt::QueuedConnection);
    } else if (!m_later) {
        m_later = true;
        m_delay.start();
    }
}

bool SaveScheduler::pending() const
{
    return m_soon || m_later;
}

void SaveScheduler::written()
{
    m_soon = false;
    m_later = false;
    m_delay.stop();
}

void SaveScheduler::saveNow()
{
    if (!pending()) {
        return; // written meanwhile
    }
    written();
    m_save();
}

} // namespace codalab::worker
