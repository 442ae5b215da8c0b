// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundles/outputsaver.h"

#include "bundles/bundlespage.h"
#include "bundles/transferqueue.h"
#include "server/apijob.h"
#include "server/bundlestate.h"
#include "server/codalabclient.h"

#include <QDir>
#include <QFileInfo>

namespace codalab::ui {

OutputSaver::OutputSaver(
    server::CodaLabClient *client, BundlesPage *page, TransferQueue *transfers, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_page(page)
    , m_transfers(transfers)
{
    m_poll.setInterval(3000);
    connect(&m_poll, &QTimer::timeout, this, &OutputSaver::poll);
}

void OutputSaver::watch(const QString &runUuid, const QString &runName, const QString &folder)
{
    Watched w { runName, folder, 0, false };
    w.transferId = m_transfers->addPendingSave(
        tr("outputs of %1").arg(runName), runUuid, folder, tr("Waiting for the run to finish"));
    m_runs.insert(runUuid, w);
    m_poll.start();
}

void OutputSaver::poll()
{
    for (auto it = m_runs.begin(); it != m_runs.end();) {
        const TransferQueue::Transfer *t = m_transfers->find(it->transferId);
        if (!t || t->state != TransferQueue::State::Running) {
            it = m_runs.erase(it); // cancelled from the transfers list
            continue;
        }
        if (it->asking) {
            ++it;
            continue;
        }
        it->asking = true;
        const QString uuid = it.key();
        connect(m_client->bundle(uuid), &server::ApiJob::finished, this,
            [this, uuid](const server::ApiResult &r) {
                auto found = m_runs.find(uuid);
                if (found == m_runs.end()) {
                    return;
                }
                found->asking = false;
                if (!r.ok()) {
                    if (r.error.httpStatus == 404) {
                        m_transfers->dropPendingSave(found->transferId, tr("The run was deleted"));
                        m_runs.erase(found);
                    }
                    return; // the server may be back at the next look
                }
                const QString state = r.json
                                          .object()[QLatin1String("data")][QLatin1String("attributes")]
                                                   [QLatin1String("state")]
                                          .toString();
                if (!server::BundleState::isFinal(state)) {
                    return;
                }
                // Beside what may be there already: "run-train", then "run-train-2"...
                QString target = QDir(found->folder).filePath(found->name);
                for (int n = 2; QFileInfo::exists(target); ++n) {
                    target = QDir(found->folder).filePath(QStringLiteral("%1-%2").arg(found->name).arg(n));
                }
                const int id = found->transferId;
                m_runs.erase(found);
                m_page->startPendingSave(id, uuid, target);
            });
        ++it;
    }
    if (m_runs.isEmpty()) {
        m_poll.stop();
    }
}

} // namespace codalab::ui
