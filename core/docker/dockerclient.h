// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/containerlogs.h"
#include "docker/dockerendpoint.h"
#include "docker/dockerreply.h"
#include "docker/dockertransport.h"
#include "docker/imagepull.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QStringList>

namespace codalab::docker {

struct ContainerSpec;

/// Client of the Docker Engine API (pinned to v1.41) over its unix socket, or Podman's compatible one.
///
/// Usage: every call returns a job living on the caller's thread — a DockerReply for plain calls, an
/// ImagePull or ContainerLogs for streams — whose finished() signal delivers the outcome; parse the
/// reply's JSON with ImageInfo/ContainerInfo/ContainerStats/NetworkInfo. The requests themselves run on a
/// private transport thread, so no call blocks, and long waits (wait, follow, pull) run side by side.
/// Jobs are children of the client: deleting the client cancels whatever is still running. Use a client
/// from the thread it lives in. Plain calls give up after DefaultTimeoutMs; wait, log follow and pull
/// have no overall limit (pull has an idle limit instead).
class DockerClient : public QObject
{
    Q_OBJECT
public:
    /// Docker's list filters, e.g. {"label", {"codalab=1"}}, {"name", {"codalab_run_"}}.
    using Filters = QMap<QString, QStringList>;
    static constexpr int DefaultTimeoutMs = 300000;

    explicit DockerClient(
        DockerEndpoint endpoint = DockerEndpoint::fromEnvironment(), QObject *parent = nullptr);
    ~DockerClient() override;

    const DockerEndpoint &endpoint() const { return m_transport->endpoint(); }

    /// Any request; the others are built on it.
    DockerReply *request(TransportRequest request);

    DockerReply *ping();
    DockerReply *version();

    // Images
    DockerReply *inspectImage(const QString &reference);
    DockerReply *listImages(const Filters &filters = {});
    /// Gives up when the daemon sends nothing for idleTimeoutSec seconds.
    ImagePull *pullImage(const QString &reference, int idleTimeoutSec = 120);
    DockerReply *tagImage(const QString &source, const QString &repository, const QString &tag);
    DockerReply *removeImage(const QString &reference, bool force = false);

    // Containers
    DockerReply *createContainer(const ContainerSpec &spec);
    DockerReply *startContainer(const QString &container);
    DockerReply *inspectContainer(const QString &container);
    /// Answers {"StatusCode": N} once the container is not running (at once if it already stopped).
    DockerReply *waitContainer(const QString &container);
    DockerReply *killContainer(const QString &container, const QString &signal = QStringLiteral("SIGKILL"));
    DockerReply *removeContainer(const QString &container, bool force = true);
    ContainerLogs *logs(const QString &container, const ContainerLogs::Options &options = {});
    /// One stats sample; the Engine takes about a second to measure CPU use over an interval.
    DockerReply *stats(const QString &container);
    DockerReply *listContainers(const Filters &filters = {}, bool all = true);
    /// The events the Engine logged for one container between two times (epoch seconds; `actions` such as
    /// "kill" narrow them). `until` must not lie ahead, or the Engine holds the answer until then. The answer
    /// streams, one JSON object a line: gather the reply's chunk()s and parseEvents() them. The Engine keeps
    /// only recent events, in memory.
    DockerReply *containerEvents(
        const QString &container, double sinceSec, double untilSec, const QStringList &actions = {});
    static QList<QJsonObject> parseEvents(const QByteArray &body);

    // Networks
    DockerReply *createNetwork(const QString &name, bool internal, const QMap<QString, QString> &labels = {});
    DockerReply *inspectNetwork(const QString &network);
    DockerReply *connectNetwork(const QString &network, const QString &container);
    DockerReply *removeNetwork(const QString &network);

private:
    DockerReply *call(const QByteArray &method, const QByteArray &path, const QByteArray &body = {});

    DockerTransport *m_transport;
    QHash<quint64, QPointer<DockerReply>> m_replies;
};

} // namespace codalab::docker
