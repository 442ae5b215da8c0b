// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundles/transferqueue.h"

#include "common/units.h"
#include "server/apierror.h"
#include "server/contentsdownload.h"

namespace codalab::ui {

TransferQueue::TransferQueue(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
}

TransferQueue::~TransferQueue()
{
    // Jobs still running stop with the queue (an upload deletes its half-made bundle).
    for (const QPointer<QObject> &job : std::as_const(m_jobs)) {
        if (auto *upload = qobject_cast<server::BundleUpload *>(job.data())) {
            upload->disconnect(this);
            upload->cancel();
        } else if (auto *download = qobject_cast<server::ContentsDownload *>(job.data())) {
            download->disconnect(this);
            download->cancel();
        }
    }
}

TransferQueue::Transfer *TransferQueue::entry(int id)
{
    for (Transfer &t : m_transfers) {
        if (t.id == id) {
            return &t;
        }
    }
    return nullptr;
}

const TransferQueue::Transfer *TransferQueue::find(int id) const
{
    for (const Transfer &t : m_transfers) {
        if (t.id == id) {
            return &t;
        }
    }
    return nullptr;
}

int TransferQueue::addUpload(server::BundleUpload *job, const QString &title)
{
    const int id = m_nextId++;
    Transfer t;
    t.id = id;
    t.kind = Kind::Upload;
    t.title = title;
    t.stage = tr("Preparing");
    m_transfers.append(t);
    m_jobs.insert(id, job);
    job->setParent(this);
    connect(
        job, &server::BundleUpload::stageChanged, this, [this, id, job](server::BundleUpload::Stage stage) {
            switch (stage) {
            case server::BundleUpload::Stage::Preparing:
                step(id, job->bytesRead(), job->totalBytes(), tr("Preparing"));
                break;
            case server::BundleUpload::Stage::Creating:
                step(id, job->bytesRead(), job->totalBytes(), tr("Creating the bundle"));
                break;
            case server::BundleUpload::Stage::Sending:
                step(id, job->bytesRead(), job->totalBytes(), tr("Sending"));
                break;
            case server::BundleUpload::Stage::Unpacking:
                step(id, job->bytesRead(), job->totalBytes(), tr("The server unpacks it"));
                break;
            }
        });
    connect(job, &server::BundleUpload::progress, this,
        [this, id](qint64 read, qint64 total) { step(id, read, total); });
    connect(job, &server::BundleUpload::finished, this, [this, id](const server::UploadResult &result) {
        if (Transfer *t = entry(id)) {
            t->bundleUuid = result.bundleUuid;
        }
        end(id,
            result.ok              ? State::Done
                : result.cancelled ? State::Cancelled
                                   : State::Failed,
            result.ok ? tr("Uploaded") : result.error);
        Q_EMIT uploadFinished(id, result);
    });
    Q_EMIT changed();
    job->start();
    return id;
}

int TransferQueue::addSave(
    server::ContentsDownload *job, const QString &title, const QString &bundleUuid, const QString &target)
{
    const int id = addPendingSave(title, bundleUuid, target, tr("Downloading"));
    attachSave(id, job, target);
    return id;
}

int TransferQueue::addPendingSave(
    const QString &title, const QString &bundleUuid, const QString &target, const QString &stage)
{
    const int id = m_nextId++;
    Transfer t;
    t.id = id;
    t.kind = Kind::Save;
    t.title = title;
    t.stage = stage;
    t.bundleUuid = bundleUuid;
    t.target = target;
    m_transfers.append(t);
    Q_EMIT changed();
    return id;
}

void TransferQueue::startPendingSave(int id, server::ContentsDownload *job, const QString &target)
{
    if (Transfer *t = entry(id); t && t->state == State::Running) {
        t->target = target;
        t->stage = tr("Downloading");
        attachSave(id, job, target);
        Q_EMIT changed();
    } else {
        job->deleteLater();
    }
}

void TransferQueue::dropPendingSave(int id, const QString &why)
{
    end(id, State::Failed, why);
}

void TransferQueue::attachSave(int id, server::ContentsDownload *job, const QString &target)
{
    m_jobs.insert(id, job);
    job->setParent(this);
    connect(job, &server::ContentsDownload::progress, this, [this, id, job](qint64 received) {
        // A folder arrives packed: what came is compressed, its size unpacked; a total only for a file.
        step(id, received, job->isDirectory() ? -1 : job->targetSize(),
            job->isDirectory() ? tr("Downloading") : QString());
    });
    connect(
        job, &server::ContentsDownload::finished, this, [this, id, target](const server::ApiError &error) {
            end(id, error ? State::Failed : State::Done,
                error ? error.message : tr("Saved to %1").arg(target));
            Q_EMIT saveFinished(id, !error, error ? error.message : QString(), target);
        });
    job->start();
}

void TransferQueue::step(int id, qint64 done, qint64 total, const QString &stage)
{
    Transfer *t = entry(id);
    if (!t || t->state != State::Running) {
        return;
    }
    util::TransferRate &rate = m_rates[id];
    rate.sample(done, m_clock.elapsed());
    t->done = done;
    t->total = total;
    t->bytesPerSecond = rate.bytesPerSecond();
    t->secondsLeft = total > 0 ? rate.secondsLeft(total) : -1;
    if (!stage.isEmpty()) {
        t->stage = stage;
    }
    Q_EMIT changed();
}

void TransferQueue::end(int id, State state, const QString &message)
{
    Transfer *t = entry(id);
    if (!t || t->state != State::Running) {
        return;
    }
    t->state = state;
    t->message = message;
    t->stage = state == State::Done ? tr("Done") : state == State::Cancelled ? tr("Cancelled") : tr("Failed");
    t->bytesPerSecond = 0;
    t->secondsLeft = -1;
    m_jobs.remove(id); // the job deletes itself once it has finished
    m_rates.remove(id);
    Q_EMIT changed();
}

void TransferQueue::cancel(int id)
{
    const Transfer *t = find(id);
    if (t && t->state == State::Running && !m_jobs.contains(id)) {
        end(id, State::Cancelled, tr("Cancelled")); // a pending save: it will not start
        return;
    }
    const QPointer<QObject> job = m_jobs.value(id);
    if (auto *upload = qobject_cast<server::BundleUpload *>(job.data())) {
        upload->cancel(); // finishes as cancelled once its threads stopped
        return;
    }
    if (auto *download = qobject_cast<server::ContentsDownload *>(job.data())) {
        download->disconnect(this);
        download->cancel(); // removes what it wrote; emits nothing
        end(id, State::Cancelled, tr("Cancelled"));
    }
}

void TransferQueue::clearFinished()
{
    m_transfers.removeIf([](const Transfer &t) { return t.state != State::Running; });
    Q_EMIT changed();
}

QString TransferQueue::summary() const
{
    int uploads = 0;
    int saves = 0;
    qint64 done = 0;
    qint64 total = 0;
    double rate = 0;
    qint64 left = -1;
    for (const Transfer &t : m_transfers) {
        if (t.state != State::Running) {
            continue;
        }
        (t.kind == Kind::Upload ? uploads : saves) += 1;
        if (t.total > 0) {
            done += t.done;
            total += t.total;
        }
        rate += t.bytesPerSecond;
        left = qMax(left, t.secondsLeft);
    }
    if (uploads + saves == 0) {
        return {};
    }
    QStringList what;
    if (uploads > 0) {
        what << tr("uploading %n item(s)", nullptr, uploads);
    }
    if (saves > 0) {
        what << tr("saving %n item(s)", nullptr, saves);
    }
    QString text = what.join(QStringLiteral(", "));
    text[0] = text.at(0).toUpper();
    QStringList figures;
    if (total > 0) {
        figures << Units::percent(double(done) / double(total));
    }
    if (rate > 0) {
        figures << tr("%1/s").arg(Units::bytes(rate));
    }
    if (left >= 0) {
        figures << tr("%1 left").arg(Units::duration(left));
    }
    return figures.isEmpty() ? text : text + QStringLiteral(": ") + figures.join(QStringLiteral(", "));
}

} // namespace codalab::ui
