// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/dockerresult.h"

#include <QObject>

namespace codalab::docker {

class DockerTransport;

/// The handle of one Engine API call, living on the caller's thread.
///
/// Usage: connect to finished(); it is emitted exactly once, on the thread that made the call, and the
/// reply deletes itself afterwards. Streaming calls emit chunk() before that. cancel() aborts the call:
/// nothing more is emitted (a cancelled call is never reported as a failure) and the reply is deleted.
class DockerReply : public QObject
{
    Q_OBJECT
public:
    DockerReply(DockerTransport *transport, quint64 id, QByteArray path, QObject *parent);
    ~DockerReply() override;

    quint64 id() const { return m_id; }
    const QByteArray &path() const { return m_path; }
    bool isFinished() const { return m_finished; }
    const DockerResult &result() const { return m_result; }

    void cancel();

    /// Called by DockerClient with what the transport delivered.
    void deliverChunk(const QByteArray &data);
    void deliverResult(DockerResult result);

Q_SIGNALS:
    void chunk(const QByteArray &data);
    void finished(const codalab::docker::DockerResult &result);

private:
    DockerTransport *m_transport;
    quint64 m_id;
    QByteArray m_path;
    bool m_finished = false;
    DockerResult m_result;
};

} // namespace codalab::docker
