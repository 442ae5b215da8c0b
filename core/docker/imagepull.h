// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/dockererror.h"
#include "docker/pullprogress.h"

#include <QObject>
#include <QPointer>

namespace codalab::docker {

class DockerReply;

/// One `docker pull`, with progress.
///
/// Usage: connect progress() and finished(); finished() comes exactly once (error.kind None on success)
/// and the object deletes itself afterwards. A pull that cannot reach a registry fails with the daemon's
/// message; one that stalls for the idle timeout fails with a Timeout error instead of hanging.
class ImagePull : public QObject
{
    Q_OBJECT
public:
    ImagePull(QString reference, DockerReply *reply, QObject *parent);

    const QString &reference() const { return m_reference; }
    const PullStatus &status() const { return m_progress.status(); }
    const QString &digest() const { return m_progress.digest(); }
    void cancel();

    /// Splits "repo[:tag]" / "repo@digest" into fromImage and tag as the Engine's create call wants them;
    /// the tag defaults to "latest" as upstream CodaLab does.
    static std::pair<QString, QString> splitReference(const QString &reference);

Q_SIGNALS:
    void progress(const codalab::docker::PullStatus &status);
    void finished(const codalab::docker::DockerError &error);

private:
    QString m_reference;
    QPointer<DockerReply> m_reply;
    PullProgress m_progress;
    bool m_done = false;
};

} // namespace codalab::docker
