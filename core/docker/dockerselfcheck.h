// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/dockerclient.h"

#include <QObject>
#include <QStringList>

namespace codalab::docker {

/// Proves Docker works for CodaLab runs: the daemon answers, the image is there, and a container with
/// no network runs a command whose output comes back. The container is removed whatever happens.
///
/// Usage: connect step() and finished(), call start(). finished() comes exactly once.
class DockerSelfCheck : public QObject
{
    Q_OBJECT
public:
    DockerSelfCheck(DockerClient *client, QString image, QObject *parent = nullptr);

    void start();
    /// "Docker 20.10.24 (API 1.41) on linux/amd64" once the version call answered.
    const QString &engineDescription() const { return m_engine; }
    const QByteArray &output() const { return m_output; }
    int exitCode() const { return m_exitCode; }

Q_SIGNALS:
    void step(const QString &message);
    void finished(bool ok, const QString &message);

private:
    void checkImage();
    void createContainer();
    void startContainer();
    void readOutput();
    void fail(const QString &message);
    void done(bool ok, const QString &message);

    DockerClient *m_client;
    QString m_image;
    QString m_engine;
    QString m_containerId;
    QByteArray m_output;
    int m_exitCode = -1;
    bool m_finished = false;
};

} // namespace codalab::docker
