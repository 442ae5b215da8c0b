// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/imagepull.h"

#include "docker/dockerreply.h"

namespace codalab::docker {

ImagePull::ImagePull(QString reference, DockerReply *reply, QObject *parent)
    : QObject(parent)
    , m_reference(std::move(reference))
    , m_reply(reply)
{
    connect(reply, &DockerReply::chunk, this, [this](const QByteArray &data) {
        if (m_progress.feed(data)) {
            Q_EMIT progress(m_progress.status());
        }
    });
    connect(reply, &DockerReply::finished, this, [this](const DockerResult &result) {
        m_done = true;
        m_progress.finish();
        DockerError error = result.error;
        // The Engine answers 200 and then reports failures inside the stream.
        if (!error && m_progress.hasError()) {
            error = DockerError::make(
                DockerError::Kind::ServerError, m_progress.errorString(), result.httpStatus);
        }
        if (error) {
            error.message = QStringLiteral("Cannot pull %1: %2").arg(m_reference, error.message);
        }
        Q_EMIT finished(error);
        deleteLater();
    });
}

void ImagePull::cancel()
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

std::pair<QString, QString> ImagePull::splitReference(const QString &reference)
{
    if (reference.contains(QLatin1Char('@'))) {
        return { reference, QString() };
    }
    const qsizetype slash = reference.lastIndexOf(QLatin1Char('/'));
    const qsizetype colon = reference.lastIndexOf(QLatin1Char(':'));
    // A colon before the last slash belongs to a registry port ("localhost:5000/img").
    if (colon > slash) {
        return { reference.left(colon), reference.mid(colon + 1) };
    }
    return { reference, QStringLiteral("latest") };
}

} // namespace codalab::docker
