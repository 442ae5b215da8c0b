// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/dockertestenv.h"

#include <QRandomGenerator>

#include <catch2/catch.hpp>

namespace codalab::test {

using namespace docker;

DockerResult waitReply(DockerReply *reply, int timeoutMs)
{
    QSignalSpy spy(reply, &DockerReply::finished);
    const bool finished = spy.wait(timeoutMs);
    if (!finished) {
        FAIL("Docker reply for " << reply->path().toStdString() << " did not finish within " << timeoutMs
                                 << " ms");
    }
    return spy.first().first().value<DockerResult>();
}

DockerScope::DockerScope()
    : m_client(std::make_unique<DockerClient>())
{ }

DockerScope::~DockerScope()
{
    for (const QString &id : std::as_const(m_containers)) {
        QSignalSpy spy(m_client->removeContainer(id, true), &DockerReply::finished);
        spy.wait(30000);
    }
    for (const QString &name : std::as_const(m_networks)) {
        QSignalSpy spy(m_client->removeNetwork(name), &DockerReply::finished);
        spy.wait(30000);
    }
}

QString DockerScope::uniqueName(const QString &prefix)
{
    return QStringLiteral("codalab-test-%1-%2")
        .arg(prefix)
        .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
}

ContainerSpec DockerScope::spec(const QString &script)
{
    ContainerSpec s;
    s.image = TestImage;
    s.cmd = QStringList { QStringLiteral("/bin/bash"), QStringLiteral("-c"), script };
    s.entrypoint = QStringList();
    s.networkMode = QStringLiteral("none");
    s.labels.insert(TestLabel, QStringLiteral("1"));
    return s;
}

QString DockerScope::create(const ContainerSpec &spec)
{
    const DockerResult created = waitReply(m_client->createContainer(spec));
    INFO("create: " << created.error.message.toStdString());
    REQUIRE(created.ok());
    const QString id = created.json.object().value(QLatin1String("Id")).toString();
    REQUIRE(!id.isEmpty());
    m_containers.append(id);
    return id;
}

RunOutcome DockerScope::run(const ContainerSpec &spec)
{
    RunOutcome outcome;
    outcome.id = create(spec);
    const DockerResult started = waitReply(m_client->startContainer(outcome.id));
    INFO("start: " << started.error.message.toStdString());
    REQUIRE(started.ok());
    const DockerResult waited = waitReply(m_client->waitContainer(outcome.id), 120000);
    REQUIRE(waited.ok());
    outcome.waitStatusCode = waited.json.object().value(QLatin1String("StatusCode")).toInt(-1);
    const DockerResult inspected = waitReply(m_client->inspectContainer(outcome.id));
    REQUIRE(inspected.ok());
    outcome.info = ContainerInfo::fromInspect(inspected.json.object());

    ContainerLogs *logs = m_client->logs(outcome.id);
    QObject::connect(logs, &ContainerLogs::output, [&outcome](LogStreamType stream, const QByteArray &data) {
        (stream == LogStreamType::Stderr ? outcome.err : outcome.out).append(data);
    });
    const DockerError logError = waitJob(logs);
    INFO("logs: " << logError.message.toStdString());
    REQUIRE(!logError);
    return outcome;
}

} // namespace codalab::test
