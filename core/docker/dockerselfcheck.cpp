// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/dockerselfcheck.h"

#include "docker/containerspec.h"
#include "docker/imageinfo.h"

#include <QJsonObject>

namespace codalab::docker {

DockerSelfCheck::DockerSelfCheck(DockerClient *client, QString image, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_image(std::move(image))
{ }

void DockerSelfCheck::start()
{
    Q_EMIT step(QStringLiteral("Connecting to Docker at %1").arg(m_client->endpoint().describe()));
    connect(m_client->version(), &DockerReply::finished, this, [this](const DockerResult &r) {
        if (r.error) {
            fail(r.error.message);
            return;
        }
        const QJsonObject v = r.json.object();
        m_engine
            = QStringLiteral("Docker %1 (API %2) on %3/%4")
                  .arg(v.value(QLatin1String("Version")).toString(),
                      v.value(QLatin1String("ApiVersion")).toString(),
                      v.value(QLatin1String("Os")).toString(), v.value(QLatin1String("Arch")).toString());
        Q_EMIT step(m_engine);
        checkImage();
    });
}

void DockerSelfCheck::checkImage()
{
    connect(m_client->inspectImage(m_image), &DockerReply::finished, this, [this](const DockerResult &r) {
        if (r.error) {
            fail(r.error.kind == DockerError::Kind::NotFound
                    ? QStringLiteral("The image %1 is not on this machine: %2").arg(m_image, r.error.message)
                    : r.error.message);
            return;
        }
        const ImageInfo image = ImageInfo::fromInspect(r.json.object());
        Q_EMIT step(QStringLiteral("Image %1 (%2, %3 MB)")
                        .arg(m_image, image.digest().left(19))
                        .arg(image.sizeBytes / 1000000.0, 0, 'f', 1));
        createContainer();
    });
}

void DockerSelfCheck::createContainer()
{
    ContainerSpec spec;
    spec.image = m_image;
    spec.entrypoint = QStringList();
    spec.cmd = { QStringLiteral("/bin/sh"), QStringLiteral("-c"),
        QStringLiteral("echo \"Hello from a CodaLab Desktop container: $(uname -sm), uid $(id -u)\"") };
    spec.networkMode = QStringLiteral("none");
    spec.securityOpt = { QStringLiteral("no-new-privileges") };
    spec.memoryBytes = 64 * 1024 * 1024;
    spec.memorySwapBytes = spec.memoryBytes;
    spec.pidsLimit = 64;
    spec.user = QStringLiteral("65534:65534");
    spec.labels.insert(QStringLiteral("codalab.selfcheck"), QStringLiteral("1"));
    connect(m_client->createContainer(spec), &DockerReply::finished, this, [this](const DockerResult &r) {
        if (r.error) {
            fail(r.error.message);
            return;
        }
        m_containerId = r.json.object().value(QLatin1String("Id")).toString();
        startContainer();
    });
}

void DockerSelfCheck::startContainer()
{
    Q_EMIT step(QStringLiteral("Running a container with no network"));
    connect(
        m_client->startContainer(m_containerId), &DockerReply::finished, this, [this](const DockerResult &r) {
            if (r.error) {
                fail(r.error.message);
                return;
            }
            connect(m_client->waitContainer(m_containerId), &DockerReply::finished, this,
                [this](const DockerResult &w) {
                    if (w.error) {
                        fail(w.error.message);
                        return;
                    }
                    m_exitCode = w.json.object().value(QLatin1String("StatusCode")).toInt(-1);
                    readOutput();
                });
        });
}

void DockerSelfCheck::readOutput()
{
    ContainerLogs *logs = m_client->logs(m_containerId);
    connect(logs, &ContainerLogs::output, this,
        [this](LogStreamType, const QByteArray &data) { m_output += data; });
    connect(logs, &ContainerLogs::finished, this, [this](const DockerError &error) {
        if (error) {
            fail(error.message);
        } else if (m_exitCode != 0) {
            fail(QStringLiteral("The test container exited with code %1: %2")
                     .arg(m_exitCode)
                     .arg(QString::fromUtf8(m_output).trimmed()));
        } else {
            done(true, QString::fromUtf8(m_output).trimmed());
        }
    });
}

void DockerSelfCheck::fail(const QString &message)
{
    done(false, message);
}

void DockerSelfCheck::done(bool ok, const QString &message)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    if (m_containerId.isEmpty()) {
        Q_EMIT finished(ok, message);
        return;
    }
    // Report only once the container is gone, so a caller that exits next leaves nothing behind.
    connect(m_client->removeContainer(m_containerId, true), &DockerReply::finished, this,
        [this, ok, message] { Q_EMIT finished(ok, message); });
}

} // namespace codalab::docker
