// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlerecord.h"
#include "localserver/httprequest.h"
#include "localserver/httpresponder.h"

namespace codalab::localserver {

class WorkerHub;

/// Reads of a running bundle, answered by its worker as upstream does (codalab-protocol.md §3.4 `read`):
/// the server queues a `read` message with a socket id, the worker answers with `reply` (JSON: target info
/// or an error) or `reply_data` (gzipped bytes), and the proxy answers the waiting user. A directory is
/// fetched as the worker's tar.gz; a file is gunzipped unless the user asked for gzip.
class WorkerReadProxy
{
public:
    explicit WorkerReadProxy(WorkerHub &workers)
        : m_workers(workers)
    { }

    /// Takes the read when the bundle runs on a connected worker that does not share the server's file
    /// system; returns false otherwise (the server reads its own copy).
    bool read(const BundleRecord &bundle, const QString &subpath, bool info, const HttpRequest &request,
        const HttpResponder &responder);

private:
    void sendRead(const QString &workerKey, const BundleRecord &bundle, const QString &subpath,
        const QJsonObject &readArgs,
        std::function<void(const QJsonObject &header, const QByteArray &data, bool isData)> onReply);
    void readBlob(const QString &workerKey, const BundleRecord &bundle, const QString &subpath,
        const HttpRequest &request, const HttpResponder &responder, const QString &type);

    WorkerHub &m_workers;
};

} // namespace codalab::localserver
