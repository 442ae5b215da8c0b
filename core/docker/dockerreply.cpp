// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/dockerreply.h"

#include "docker/dockertransport.h"

namespace codalab::docker {

DockerReply::DockerReply(DockerTransport *transport, quint64 id, QByteArray path, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_id(id)
    , m_path(std::move(path))
{ }

DockerReply::~DockerReply()
{
    // Deleting an unfinished reply (its owner went away) must not leave the request running.
    if (!m_finished && m_transport) {
        m_transport->cancel(m_id);
    }
}

void DockerReply::cancel()
{
    if (m_finished) {
        return;
    }
    m_transport->cancel(m_id);
    m_finished = true;
    m_result.error = DockerError::make(DockerError::Kind::Cancelled, QStringLiteral("Cancelled"));
    deleteLater();
}

void DockerReply::deliverChunk(const QByteArray &data)
{
    if (!m_finished) {
        Q_EMIT chunk(data);
    }
}

void DockerReply::deliverResult(DockerResult result)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_result = std::move(result);
    if (!m_result.error && !m_result.body.isEmpty() && m_result.contentType.contains("json")) {
        QJsonParseError parseError {};
        m_result.json = QJsonDocument::fromJson(m_result.body, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            m_result.error = DockerError::make(DockerError::Kind::Protocol,
                QStringLiteral("Malformed JSON from Docker for %1: %2")
                    .arg(QString::fromUtf8(m_path), parseError.errorString()),
                m_result.httpStatus);
        }
    }
    Q_EMIT finished(m_result);
    deleteLater();
}

} // namespace codalab::docker
