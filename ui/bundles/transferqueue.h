// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/bundleupload.h"
#include "util/transferrate.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

namespace codalab::server {
class ContentsDownload;
}

namespace codalab::ui {

/// The uploads and saves of the desktop, running or done: what each is, how far it got (bytes, rate, time
/// left), and how it ended. One place for the transfers list, the tray tooltip and the status bar.
///
/// Usage: addUpload()/addSave() hand over a job (not started; the queue starts it and owns it until it ends);
/// cancel() stops one. changed() after every step; summary() says it in one line.
class TransferQueue : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Upload, Save };
    enum class State { Running, Done, Failed, Cancelled };

    struct Transfer
    {
        int id = 0;
        Kind kind = Kind::Upload;
        QString title; ///< what moves ("data (3 files)", "outputs of run-train")
        QString stage; ///< where it is now, in words
        qint64 done = 0;
        qint64 total = -1; ///< -1: unknown
        double bytesPerSecond = 0;
        qint64 secondsLeft = -1;
        State state = State::Running;
        QString message; ///< the error, or what was made
        QString bundleUuid; ///< the upload's bundle, the save's source
        QString target; ///< where a save writes
    };

    explicit TransferQueue(QObject *parent = nullptr);
    ~TransferQueue() override;

    int addUpload(server::BundleUpload *job, const QString &title);
    int addSave(server::ContentsDownload *job, const QString &title, const QString &bundleUuid,
        const QString &target);
    /// A save that starts later (a run's outputs, once it finishes): listed now, waiting, with `stage`.
    int addPendingSave(
        const QString &title, const QString &bundleUuid, const QString &target, const QString &stage);
    /// Starts the pending save `id` with `job`.
    void startPendingSave(int id, server::ContentsDownload *job, const QString &target);
    /// Ends a pending save that will not happen, saying why.
    void dropPendingSave(int id, const QString &why);
    void cancel(int id);
    /// Forgets the ended transfers.
    void clearFinished();

    const QList<Transfer> &transfers() const { return m_transfers; }
    const Transfer *find(int id) const;
    /// "Uploading 2 items: 45 %, 12.3 MiB/s, 1 min left", or empty when nothing runs.
    QString summary() const;

Q_SIGNALS:
    void changed();
    void uploadFinished(int id, const codalab::server::UploadResult &result);
    void saveFinished(int id, bool ok, const QString &message, const QString &target);

private:
    Transfer *entry(int id);
    void step(int id, qint64 done, qint64 total, const QString &stage = {});
    void end(int id, State state, const QString &message);
    void attachSave(int id, server::ContentsDownload *job, const QString &target);

    QList<Transfer> m_transfers;
    QHash<int, QPointer<QObject>> m_jobs;
    QHash<int, util::TransferRate> m_rates;
    QElapsedTimer m_clock;
    int m_nextId = 1;
};

} // namespace codalab::ui
