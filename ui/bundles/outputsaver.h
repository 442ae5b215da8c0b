// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QTimer>

namespace codalab::server {
class CodaLabClient;
}

namespace codalab::ui {

class BundlesPage;
class TransferQueue;

/// "When it finishes, save its outputs to …": watches runs until they end, then saves each one's contents
/// into the folder chosen (as <folder>/<run name>), through the Bundles page's save (progress and cancel in
/// the transfers list, where the run waits meanwhile). A run that ends killed or failed is saved too: what
/// it wrote is what the user wants to look at.
class OutputSaver : public QObject
{
    Q_OBJECT
public:
    OutputSaver(server::CodaLabClient *client, BundlesPage *page, TransferQueue *transfers,
        QObject *parent = nullptr);

    void watch(const QString &runUuid, const QString &runName, const QString &folder);
    void setPollIntervalMs(int ms) { m_poll.setInterval(ms); }

private:
    struct Watched
    {
        QString name;
        QString folder;
        int transferId = 0;
        bool asking = false;
    };
    void poll();

    server::CodaLabClient *m_client;
    BundlesPage *m_page;
    TransferQueue *m_transfers;
    QHash<QString, Watched> m_runs;
    QTimer m_poll;
};

} // namespace codalab::ui
