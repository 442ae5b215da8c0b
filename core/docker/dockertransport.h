// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/dockerendpoint.h"
#include "docker/dockerresult.h"

#include <QByteArray>
#include <QObject>

#include <memory>

namespace codalab::docker {

/// One HTTP exchange with the Engine. Paths are given without the /v1.NN prefix.
struct TransportRequest
{
    QByteArray method = "GET";
    QByteArray path; ///< e.g. "/containers/json?all=1"
    QByteArray body; ///< JSON body; sent as application/json when not empty
    bool streaming = false; ///< deliver a 2xx body in chunks as it arrives instead of once at the end
    int idleTimeoutSec = 0; ///< give up when no byte arrives for this long; 0 = wait for ever
    int timeoutMs = 0; ///< limit for the whole exchange; 0 = none
};

/// Runs Engine API requests with libcurl's multi interface on one private thread, so any number of
/// long waits (container wait, log follow, pull) share it and nothing blocks the caller.
///
/// Usage: submit() returns an id; chunkReceived() (streaming requests) and then exactly one finished()
/// follow for it, emitted from the transport thread and therefore queued to receivers in other threads,
/// in order. cancel() aborts a request; nothing more is emitted for it.
class DockerTransport : public QObject
{
    Q_OBJECT
public:
    /// The Engine API version every request is pinned to.
    static constexpr auto ApiVersion = "v1.41";

    explicit DockerTransport(DockerEndpoint endpoint, QObject *parent = nullptr);
    ~DockerTransport() override;

    const DockerEndpoint &endpoint() const { return m_endpoint; }
    quint64 submit(TransportRequest request);
    void cancel(quint64 id);

Q_SIGNALS:
    void chunkReceived(quint64 id, const QByteArray &data);
    void finished(quint64 id, const codalab::docker::DockerResult &result);

private:
    struct Private;
    DockerEndpoint m_endpoint;
    std::unique_ptr<Private> d;
};

} // namespace codalab::docker
