// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apiresult.h"
#include "server/bundleupload.h"
#include "server/runrequest.h"

#include <QObject>
#include <QPointer>

namespace codalab::server {

class CodaLabClient;
class UploadCache;

/// `cl run` as a job: validate, find the worksheet, resolve every dependency target, create the bundle.
/// finished() comes once, with the created bundle's JSON:API answer or the first error (an invalid
/// request fails before anything is sent); the object deletes itself afterwards.
///
/// A dependency whose target is a local file or folder is uploaded first (BundleUpload, to the run's
/// worksheet), uploadProgress() telling how far, unless setUploadCache() knows it was sent to this server
/// unchanged and the bundle is still there and ready: then that bundle is used. cancel() stops an upload
/// in progress (its half-made bundle is removed) and ends the submission with a Cancelled error.
class RunSubmission : public QObject
{
    Q_OBJECT
public:
    RunSubmission(CodaLabClient *client, RunRequest request, QObject *parent);
    void start();
    void setUploadCache(UploadCache *cache) { m_cache = cache; }
    /// Stops the submission while it uploads a local dependency (or before); false once the run is being
    /// created, which cannot be taken back.
    bool cancel();
    bool isUploading() const { return m_upload != nullptr; }
    /// The uuid of the created bundle, once finished.
    const QString &bundleUuid() const { return m_uuid; }

Q_SIGNALS:
    void finished(const codalab::server::ApiResult &result);
    /// A local dependency on its way: `key`'s bytes read of its total.
    void uploadProgress(const QString &key, qint64 bytesRead, qint64 totalBytes);
    /// A local dependency is on the server as `bundleUuid` (sent now, or `reused`).
    void uploaded(const QString &key, const QString &bundleUuid, bool reused);

private:
    void resolveNext(int index);
    void uploadLocal(int index);
    void sendLocal(int index, const QString &digest);
    void create();
    void fail(const ApiError &error);

    CodaLabClient *m_client;
    RunRequest m_request;
    QString m_worksheetUuid;
    QString m_uuid;
    UploadCache *m_cache = nullptr;
    QPointer<BundleUpload> m_upload;
    bool m_cancelled = false;
    bool m_creating = false;
    bool m_done = false;
};

} // namespace codalab::server
