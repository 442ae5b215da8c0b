// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/containerlogs.h"

#include "docker/containerinfo.h"
#include "docker/dockerclient.h"

#include <QUrl>

namespace codalab::docker {

ContainerLogs::ContainerLogs(DockerClient *client, QString container, Options options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_container(std::move(container))
    , m_options(options)
{
    m_reply = m_client->inspectContainer(m_container);
    connect(m_reply, &DockerReply::finished, this, [this](const DockerResult &result) {
        if (result.error) {
            finish(result.error);
            return;
        }
        readLogs(ContainerInfo::fromInspect(result.json.object()).tty);
    });
}

void ContainerLogs::readLogs(bool tty)
{
    m_demuxer = LogDemuxer(tty ? LogDemuxer::Mode::Raw : LogDemuxer::Mode::Multiplexed);
    TransportRequest r;
    r.path = "/containers/" + QUrl::toPercentEncoding(m_container) + "/logs?stdout="
        + (m_options.stdoutStream ? "1" : "0") + "&stderr=" + (m_options.stderrStream ? "1" : "0")
        + "&follow=" + (m_options.follow ? "1" : "0") + "&timestamps=" + (m_options.timestamps ? "1" : "0");
    if (m_options.tail >= 0) {
        r.path += "&tail=" + QByteArray::number(m_options.tail);
    }
    r.streaming = true;
    m_reply = m_client->request(std::move(r));
    connect(m_reply, &DockerReply::chunk, this, [this](const QByteArray &data) {
        const QList<LogChunk> chunks = m_demuxer.feed(data);
        for (const LogChunk &c : chunks) {
            Q_EMIT output(c.stream, c.data);
        }
        if (m_demuxer.hasError()) {
            m_reply->cancel();
            finish(DockerError::make(DockerError::Kind::Protocol, m_demuxer.errorString()));
        }
    });
    connect(m_reply, &DockerReply::finished, this, [this](const DockerResult &result) {
        if (!result.error && m_demuxer.isMidFrame()) {
            finish(DockerError::make(DockerError::Kind::Protocol,
                QStringLiteral("The log stream of %1 ended inside a frame").arg(m_container)));
            return;
        }
        finish(result.error);
    });
}

void ContainerLogs::finish(const DockerError &error)
{
    if (m_done) {
        return;
    }
    m_done = true;
    Q_EMIT finished(error);
    deleteLater();
}

void ContainerLogs::cancel()
{
    if (m_done) {
        return;
    }
    m_done = true;
    if (m_reply) {
        m_reply->cancel();
    }
    deleteLater();
}

} // namespace codalab::docker
