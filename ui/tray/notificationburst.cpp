// SPDX-License-Identifier: GPL-3.0-or-later
#include "tray/notificationburst.h"

#include <QStringList>

#include <algorithm>

namespace codalab::ui {

void NotificationBurst::add(const Event &event)
{
    if (event.kind == Kind::WorkerBack) {
        // Offline and back within one burst is a blip, not news.
        const auto offline = std::find_if(m_events.rbegin(), m_events.rend(),
            [](const Event &e) { return e.kind == Kind::WorkerOffline || e.kind == Kind::WorkerBack; });
        if (offline != m_events.rend() && offline->kind == Kind::WorkerOffline) {
            m_events.erase(std::next(offline).base());
            return;
        }
    }
    m_events.append(event);
}

int NotificationBurst::count(Kind kind) const
{
    return int(
        std::count_if(m_events.cbegin(), m_events.cend(), [kind](const Event &e) { return e.kind == kind; }));
}

QString NotificationBurst::singleTitle(Kind kind)
{
    switch (kind) {
    case Kind::RunFinished:
        return tr("Run finished");
    case Kind::RunFailed:
        return tr("Run failed");
    case Kind::WorkerOffline:
        return tr("CodaLab worker offline");
    case Kind::WorkerBack:
        return tr("CodaLab worker back online");
    case Kind::DiskLow:
        return tr("Disk space low");
    }
    return {};
}

QString NotificationBurst::line(const Event &event)
{
    switch (event.kind) {
    case Kind::RunFinished:
        return tr("%1 finished").arg(event.subject);
    case Kind::RunFailed:
        return event.detail.isEmpty() ? tr("%1 failed").arg(event.subject)
                                      : tr("%1 failed: %2").arg(event.subject, event.detail);
    case Kind::WorkerOffline:
    case Kind::WorkerBack:
    case Kind::DiskLow:
        return event.detail.isEmpty() ? singleTitle(event.kind) : event.detail;
    }
    return {};
}

QString NotificationBurst::title() const
{
    if (m_events.isEmpty()) {
        return {};
    }
    if (m_events.size() == 1) {
        return singleTitle(m_events.first().kind);
    }
    QStringList parts;
    const int finished = count(Kind::RunFinished);
    const int failed = count(Kind::RunFailed);
    if (finished > 0) {
        parts << tr("%n run(s) finished", nullptr, finished);
        if (failed > 0) {
            parts << tr("%n failed", nullptr, failed);
        }
    } else if (failed > 0) {
        parts << tr("%n run(s) failed", nullptr, failed);
    }
    // Only the last word on the connection counts: add() already dropped an offline that came back.
    const auto lastLink = std::find_if(m_events.crbegin(), m_events.crend(),
        [](const Event &e) { return e.kind == Kind::WorkerOffline || e.kind == Kind::WorkerBack; });
    if (lastLink != m_events.crend()) {
        parts << (lastLink->kind == Kind::WorkerOffline ? tr("worker offline") : tr("worker back online"));
    }
    if (count(Kind::DiskLow) > 0) {
        parts << tr("disk space low");
    }
    QString title = parts.join(QStringLiteral(", "));
    title[0] = title.at(0).toUpper();
    return title;
}

QString NotificationBurst::body() const
{
    if (m_events.size() == 1) {
        const Event &e = m_events.first();
        return (e.kind == Kind::RunFinished || e.kind == Kind::RunFailed) ? line(e) + QLatin1Char('.')
                                                                          : e.detail;
    }
    QStringList lines;
    for (const Event &e : m_events) {
        if (lines.size() == MaxBodyLines) {
            lines << tr("…and %n more", nullptr, int(m_events.size() - MaxBodyLines));
            break;
        }
        lines << line(e);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace codalab::ui
