// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/checkinloop.h"

#include "server/apijob.h"
#include "server/bundlestate.h"
#include "server/workerapi.h"
#include "util/logging.h"

#include <QElapsedTimer>

namespace codalab::worker {

using server::BundleState;

CheckinLoop::CheckinLoop(server::WorkerApi *api, BodyBuilder body, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_body(std::move(body))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &CheckinLoop::checkin);
    m_reportSoon.setSingleShot(true);
    m_reportSoon.setInterval(ReportDelayMs);
    connect(&m_reportSoon, &QTimer::timeout, this, &CheckinLoop::request);
}

void CheckinLoop::start()
{
    m_running = true;
    checkin();
}

void CheckinLoop::stop()
{
    m_running = false;
    m_timer.stop();
    m_reportSoon.stop();
}

void CheckinLoop::request()
{
    m_reportSoon.stop(); // what it waited for goes with this one
    m_wakeRequested = true;
    if (!m_inFlight && m_running) {
        m_timer.start(0);
    }
    Q_EMIT wakeWanted();
}

void CheckinLoop::report(const QString &uuid, const QString &serverState)
{
    const QString before = serverState.isEmpty() ? m_reportedStates.take(uuid)
                                                 : std::exchange(m_reportedStates[uuid], serverState);
    if (before != serverState) {
        request();
    } else if (!m_reportSoon.isActive()) {
        m_reportSoon.start();
    }
}

void CheckinLoop::checkin()
{
    if (m_inFlight || !m_running) {
        return; // never two in flight (§3.0)
    }
    m_inFlight = true;
    m_reportSoon.stop(); // this body carries what it waited for
    const QJsonObject body = m_body();
    const QJsonArray runs = body.value(QLatin1String("runs")).toArray();
    // Runs given back are forgotten once a check-in that said `staged` for them went through; one that was
    // sent before the run stopped does not count.
    QStringList staged;
    for (const QJsonValue &r : runs) {
        if (r.toObject().value(QLatin1String("state")).toString() == BundleState::Staged) {
            staged << r.toObject().value(QLatin1String("uuid")).toString();
        }
    }
    const bool lastWord
        = body.value(QLatin1String("is_terminating")).toBool() && staged.size() == runs.size();
    QElapsedTimer elapsed;
    elapsed.start();
    server::ApiJob *job = m_api->checkin(body);
    connect(
        job, &server::ApiJob::finished, this, [this, elapsed, staged, lastWord](const server::ApiResult &r) {
            m_inFlight = false;
            if (!r.ok()) {
                ++m_failures;
                m_connected = false;
                m_lastError = r.error.message;
                Q_EMIT failed(r.error.message);
                if (m_running) {
                    m_timer.start(m_failures > 1 ? CooldownMs : 0);
                }
                return;
            }
            m_failures = 0;
            m_connected = true;
            m_lastError.clear();
            m_lastCheckin = QDateTime::currentDateTimeUtc();
            // An array of messages (quota kills first), or a single object from older servers; null means
            // none.
            QJsonArray messages;
            for (const QJsonValue &m : r.json.isArray() ? r.json.array() : QJsonArray { r.json.object() }) {
                if (m.isObject()) {
                    messages.append(m);
                } else if (!m.isNull()) {
                    qCWarning(lcWorker) << "ignoring a check-in message that is not an object";
                }
            }
            for (const QString &uuid : staged) {
                m_reportedStates.remove(uuid); // given back: the worker forgets it
            }
            Q_EMIT answered(messages, staged, lastWord);
            // An early empty answer that was not asked for means a server that does not hold check-ins: pace
            // it.
            const bool woken = std::exchange(m_wakeRequested, false);
            const qint64 ms = elapsed.elapsed();
            if (m_running) {
                m_timer.start(messages.isEmpty() && !woken && ms < MinIdleMs ? int(MinIdleMs - ms) : 0);
            }
        });
}

} // namespace codalab::worker
