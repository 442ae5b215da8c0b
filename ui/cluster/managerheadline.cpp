// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/managerheadline.h"

#include <QJsonArray>

namespace codalab::ui {

ManagerState ManagerHeadline::stateOf(bool starting, bool answering, const QJsonObject &status)
{
    if (starting) {
        return ManagerState::Starting;
    }
    if (!answering) {
        return ManagerState::NotRunning;
    }
    const QString state = status.value(QLatin1String("state")).toString();
    if (state == QLatin1String("paused")) {
        return ManagerState::Paused;
    }
    if (state == QLatin1String("halted")) {
        return ManagerState::Halted;
    }
    if (state == QLatin1String("stopping")) {
        return ManagerState::Stopping;
    }
    // Answering but no status yet: still coming up.
    return state == QLatin1String("running") ? ManagerState::Running : ManagerState::Starting;
}

QString ManagerHeadline::text(ManagerState state, const QJsonObject &s, const QString &startError, bool *ok)
{
    bool good = true;
    QString text;
    if (state == ManagerState::Starting) {
        text = tr("Starting…");
    } else if (state == ManagerState::NotRunning) {
        good = startError.isEmpty();
        text = good ? tr("Not running") : tr("Did not start: %1").arg(startError);
    } else if (state == ManagerState::Stopping) {
        text = tr("Stopping…");
    } else {
        int running = 0;
        int pending = 0;
        for (const QJsonValue &v : s.value(QLatin1String("jobs")).toArray()) {
            const QString jobState = v.toObject().value(QLatin1String("state")).toString();
            pending += jobState == QLatin1String("PENDING") ? 1 : 0;
            running += jobState == QLatin1String("RUNNING") || jobState == QLatin1String("CONFIGURING")
                    || jobState == QLatin1String("COMPLETING")
                ? 1
                : 0;
        }
        const QString counts = running + pending == 0
            ? tr("no jobs")
            : tr("%n job(s): %1 running, %2 pending", nullptr, running + pending).arg(running).arg(pending);
        if (state == ManagerState::Halted) {
            good = false;
            // The manager's last_error says the rest (the page shows it below).
            text = tr("Stopped submitting after %n failure(s) in a row — Resume to try again", nullptr,
                s.value(QLatin1String("failures_in_a_row")).toInt());
        } else if (state == ManagerState::Paused) {
            text = tr("Paused — %1").arg(counts);
        } else {
            text = tr("Running — %1").arg(counts);
        }
    }
    if (ok) {
        *ok = good;
    }
    return text;
}

} // namespace codalab::ui
