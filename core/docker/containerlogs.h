// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/dockererror.h"
#include "docker/logdemuxer.h"

#include <QObject>
#include <QPointer>

namespace codalab::docker {

class DockerClient;
class DockerReply;

/// A container's logs, split into stdout and stderr.
///
/// Usage: DockerClient::logs() returns one; connect output() and finished(). It inspects the container
/// first, because only its Tty flag tells a raw stream from a multiplexed one on API v1.41, then reads
/// the logs (following them if asked). finished() comes exactly once and the object deletes itself.
class ContainerLogs : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        bool stdoutStream = true;
        bool stderrStream = true;
        bool follow = false; ///< keep reading until the container stops
        int tail = -1; ///< only the last N lines; -1 = all
        bool timestamps = false;
    };

    ContainerLogs(DockerClient *client, QString container, Options options, QObject *parent);

    void cancel();

Q_SIGNALS:
    void output(codalab::docker::LogStreamType stream, const QByteArray &data);
    void finished(const codalab::docker::DockerError &error);

private:
    void readLogs(bool tty);
    void finish(const DockerError &error);

    DockerClient *m_client;
    QString m_container;
    Options m_options;
    LogDemuxer m_demuxer;
    QPointer<DockerReply> m_reply;
    bool m_done = false;
};

} // namespace codalab::docker
