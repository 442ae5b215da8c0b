// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/dockerclient.h"

#include "docker/containerspec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QUrlQuery>

namespace codalab::docker {

namespace {

QByteArray pathPart(const QString &segment)
{
    return QUrl::toPercentEncoding(segment);
}

QByteArray filtersQuery(const DockerClient::Filters &filters)
{
    QJsonObject object;
    for (auto it = filters.cbegin(); it != filters.cend(); ++it) {
        object.insert(it.key(), QJsonArray::fromStringList(it.value()));
    }
    return QUrl::toPercentEncoding(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

DockerClient::DockerClient(DockerEndpoint endpoint, QObject *parent)
    : QObject(parent)
    , m_transport(new DockerTransport(std::move(endpoint), this))
{
    qRegisterMetaType<DockerError>();
    qRegisterMetaType<DockerResult>();
    qRegisterMetaType<PullStatus>();
    connect(m_transport, &DockerTransport::chunkReceived, this, [this](quint64 id, const QByteArray &data) {
        if (DockerReply *reply = m_replies.value(id)) {
            reply->deliverChunk(data);
        }
    });
    connect(m_transport, &DockerTransport::finished, this, [this](quint64 id, const DockerResult &result) {
        if (DockerReply *reply = m_replies.take(id)) {
            reply->deliverResult(result);
        }
    });
}

DockerClient::~DockerClient()
{
    // Unfinished replies cancel their request as they go, so they must go while the transport is alive;
    // then the transport thread stops before anything else of ours is destroyed.
    const auto replies = std::exchange(m_replies, {});
    for (const auto &reply : replies) {
        delete reply.data();
    }
    delete m_transport;
}

DockerReply *DockerClient::request(TransportRequest request)
{
    QByteArray path = request.path;
    const quint64 id = m_transport->submit(std::move(request));
    auto *reply = new DockerReply(m_transport, id, std::move(path), this);
    m_replies.insert(id, reply);
    connect(reply, &QObject::destroyed, this, [this, id] { m_replies.remove(id); });
    return reply;
}

DockerReply *DockerClient::call(const QByteArray &method, const QByteArray &path, const QByteArray &body)
{
    TransportRequest r;
    r.method = method;
    r.path = path;
    r.body = body;
    // A daemon that hangs must not hang its callers for ever; the Python worker allows 720 s.
    r.timeoutMs = DefaultTimeoutMs;
    return request(std::move(r));
}

DockerReply *DockerClient::ping()
{
    TransportRequest r;
    r.path = "/_ping";
    r.timeoutMs = 10000;
    return request(std::move(r));
}

DockerReply *DockerClient::version()
{
    return call("GET", "/version");
}

DockerReply *DockerClient::inspectImage(const QString &reference)
{
    return call("GET", "/images/" + pathPart(reference) + "/json");
}

DockerReply *DockerClient::listImages(const Filters &filters)
{
    return call(
        "GET", "/images/json" + (filters.isEmpty() ? QByteArray() : "?filters=" + filtersQuery(filters)));
}

ImagePull *DockerClient::pullImage(const QString &reference, int idleTimeoutSec)
{
    const auto [from, tag] = ImagePull::splitReference(reference);
    TransportRequest r;
    r.method = "POST";
    r.path = "/images/create?fromImage=" + QUrl::toPercentEncoding(from);
    if (!tag.isEmpty()) {
        r.path += "&tag=" + QUrl::toPercentEncoding(tag);
    }
    r.streaming = true;
    r.idleTimeoutSec = idleTimeoutSec;
    return new ImagePull(reference, request(std::move(r)), this);
}

DockerReply *DockerClient::tagImage(const QString &source, const QString &repository, const QString &tag)
{
    return call("POST",
        "/images/" + pathPart(source) + "/tag?repo=" + QUrl::toPercentEncoding(repository)
            + "&tag=" + QUrl::toPercentEncoding(tag));
}

DockerReply *DockerClient::removeImage(const QString &reference, bool force)
{
    return call("DELETE", "/images/" + pathPart(reference) + (force ? "?force=1" : "?force=0"));
}

DockerReply *DockerClient::createContainer(const ContainerSpec &spec)
{
    QByteArray path = "/containers/create";
    if (!spec.name.isEmpty()) {
        path += "?name=" + QUrl::toPercentEncoding(spec.name);
    }
    return call("POST", path, compact(spec.toCreateBody()));
}

DockerReply *DockerClient::startContainer(const QString &container)
{
    return call("POST", "/containers/" + pathPart(container) + "/start");
}

DockerReply *DockerClient::inspectContainer(const QString &container)
{
    return call("GET", "/containers/" + pathPart(container) + "/json");
}

DockerReply *DockerClient::waitContainer(const QString &container)
{
    TransportRequest r; // no time limit: a run may take days
    r.method = "POST";
    r.path = "/containers/" + pathPart(container) + "/wait?condition=not-running";
    return request(std::move(r));
}

DockerReply *DockerClient::killContainer(const QString &container, const QString &signal)
{
    return call(
        "POST", "/containers/" + pathPart(container) + "/kill?signal=" + QUrl::toPercentEncoding(signal));
}

DockerReply *DockerClient::removeContainer(const QString &container, bool force)
{
    return call("DELETE", "/containers/" + pathPart(container) + (force ? "?force=1&v=1" : "?force=0&v=1"));
}

ContainerLogs *DockerClient::logs(const QString &container, const ContainerLogs::Options &options)
{
    return new ContainerLogs(this, container, options, this);
}

DockerReply *DockerClient::stats(const QString &container)
{
    TransportRequest r;
    r.path = "/containers/" + pathPart(container) + "/stats?stream=false";
    r.timeoutMs = 30000;
    return request(std::move(r));
}

DockerReply *DockerClient::listContainers(const Filters &filters, bool all)
{
    QByteArray path = all ? "/containers/json?all=1" : "/containers/json?all=0";
    if (!filters.isEmpty()) {
        path += "&filters=" + filtersQuery(filters);
    }
    return call("GET", path);
}

DockerReply *DockerClient::containerEvents(
    const QString &container, double sinceSec, double untilSec, const QStringList &actions)
{
    Filters filters { { QStringLiteral("type"), { QStringLiteral("container") } },
        { QStringLiteral("container"), { container } } };
    if (!actions.isEmpty()) {
        filters.insert(QStringLiteral("event"), actions);
    }
    TransportRequest r;
    r.path = "/events?since=" + QByteArray::number(sinceSec, 'f', 3)
        + "&until=" + QByteArray::number(untilSec, 'f', 3) + "&filters=" + filtersQuery(filters);
    // Streamed, as the Engine sends it: several JSON objects are no one JSON document.
    r.streaming = true;
    r.timeoutMs = 30000;
    return request(std::move(r));
}

QList<QJsonObject> DockerClient::parseEvents(const QByteArray &body)
{
    QList<QJsonObject> events;
    for (const QByteArray &line : body.split('\n')) {
        const QJsonDocument event = QJsonDocument::fromJson(line);
        if (event.isObject()) {
            events << event.object();
        }
    }
    return events;
}

DockerReply *DockerClient::createNetwork(
    const QString &name, bool internal, const QMap<QString, QString> &labels)
{
    QJsonObject labelObject;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        labelObject.insert(it.key(), it.value());
    }
    const QJsonObject body { { QLatin1String("Name"), name }, { QLatin1String("CheckDuplicate"), true },
        { QLatin1String("Driver"), QLatin1String("bridge") }, { QLatin1String("Internal"), internal },
        { QLatin1String("Labels"), labelObject } };
    return call("POST", "/networks/create", compact(body));
}

DockerReply *DockerClient::inspectNetwork(const QString &network)
{
    return call("GET", "/networks/" + pathPart(network));
}

DockerReply *DockerClient::connectNetwork(const QString &network, const QString &container)
{
    return call("POST", "/networks/" + pathPart(network) + "/connect",
        compact(QJsonObject { { QLatin1String("Container"), container } }));
}

DockerReply *DockerClient::removeNetwork(const QString &network)
{
    return call("DELETE", "/networks/" + pathPart(network));
}

} // namespace codalab::docker
