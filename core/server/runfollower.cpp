// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/runfollower.h"

#include "server/apijob.h"
#include "server/bundlestate.h"
#include "server/codalabclient.h"

#include <QJsonObject>

namespace codalab::server {

namespace {
const char *const streamFiles[] = { "stdout", "stderr" };
constexpr int MaxConsecutiveFailures = 5;
} // namespace

RunFollower::RunFollower(CodaLabClient *client, QString uuid, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_uuid(std::move(uuid))
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &RunFollower::poll);
}

void RunFollower::start()
{
    m_timer.start();
    poll();
}

void RunFollower::stop()
{
    m_timer.stop();
    if (m_job) {
        m_job->cancel();
    }
}

void RunFollower::poll()
{
    if (m_polling) {
        return; // never stack polls
    }
    m_polling = true;
    m_job = m_client->bundle(m_uuid);
    connect(m_job, &ApiJob::finished, this, [this](const ApiResult &r) {
        if (!r.ok()) {
            m_polling = false;
            // A bundle that is gone, or a server that stays away, ends the follow; a blip does not.
            if (!r.error.isTransient() || ++m_failures >= MaxConsecutiveFailures) {
                m_timer.stop();
                Q_EMIT finished(m_state, r.error);
            }
            return;
        }
        m_failures = 0;
        const QString state = r.json.object()
                                  .value(QLatin1String("data"))
                                  .toObject()
                                  .value(QLatin1String("attributes"))
                                  .toObject()
                                  .value(QLatin1String("state"))
                                  .toString();
        if (state != m_state) {
            m_state = state;
            Q_EMIT stateChanged(state);
        }
        m_final = state == BundleState::Ready || state == BundleState::Failed || state == BundleState::Killed;
        // Files appear only once the run started; before that there is nothing to read.
        if (state == BundleState::Created || state == BundleState::Staged || state == BundleState::Starting
            || state == BundleState::Preparing) {
            m_polling = false;
            return;
        }
        readNext(0);
    });
}

void RunFollower::readNext(int stream)
{
    if (stream > 1) {
        roundDone();
        return;
    }
    m_job = m_client->readRange(m_uuid, QLatin1String(streamFiles[stream]), m_offsets[stream], ChunkBytes);
    connect(m_job, &ApiJob::finished, this, [this, stream](const ApiResult &r) {
        if (!r.ok()) {
            readNext(stream + 1); // not there (yet): try again next round
            return;
        }
        if (!r.body.isEmpty()) {
            m_offsets[stream] += r.body.size();
            Q_EMIT output(stream, r.body);
        }
        // A full chunk means there may be more right now.
        if (r.body.size() >= ChunkBytes) {
            readNext(stream);
        } else {
            readNext(stream + 1);
        }
    });
}

void RunFollower::roundDone()
{
    m_polling = false;
    if (m_final) {
        m_timer.stop();
        Q_EMIT finished(m_state, {});
    }
}

} // namespace codalab::server
