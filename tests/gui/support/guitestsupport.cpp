// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/guitestsupport.h"

#include "common/workerlink.h"
#include "docker/dockerclient.h"
#include "server/apijob.h"
#include "server/runsubmission.h"
#include "support/dockertestenv.h"
#include "support/spinuntil.h"

#include <QAbstractButton>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QWidget>

#include <catch2/catch.hpp>

namespace codalab::test {

void saveScreenshot(QWidget *widget, const QString &name)
{
    if (qEnvironmentVariable("CODALAB_SCREENSHOTS") != QLatin1String("1")) {
        return;
    }
    QTest::qWait(150); // let posted layout requests and paints run, as they would on screen
    REQUIRE(widget->grab().save(QStringLiteral(CODALAB_SCREENSHOT_DIR "/") + name));
}

QAbstractButton *findButton(QWidget *parent, const QString &text)
{
    for (QAbstractButton *b : parent->findChildren<QAbstractButton *>()) {
        QString t = b->text();
        t.remove(QLatin1Char('&'));
        if (t == text || b->accessibleName() == text) {
            return b;
        }
    }
    FAIL("no button " << text.toStdString());
    return nullptr;
}

server::RunRequest testRun(const QString &command, const QString &name)
{
    server::RunRequest r;
    r.command = command;
    r.name = name;
    r.image = QStringLiteral("codalab-test/busybox:latest");
    r.memory = QStringLiteral("64m");
    return r;
}

QString submit(server::CodaLabClient &client, const server::RunRequest &request)
{
    server::RunSubmission *submission = client.submitRun(request);
    QSignalSpy done(submission, &server::RunSubmission::finished);
    REQUIRE(done.wait(30000));
    const auto result = done.first().first().value<server::ApiResult>();
    INFO(result.error.message.toStdString());
    REQUIRE(result.ok());
    return result.json.object()[QLatin1String("data")]
        .toArray()
        .first()
        .toObject()[QLatin1String("id")]
        .toString();
}

QJsonObject fetchBundle(server::CodaLabClient &client, const QString &uuid)
{
    const server::ApiResult r = waitApi(client.bundle(uuid));
    REQUIRE(r.ok());
    return r.json.object()[QLatin1String("data")].toObject();
}

QString serverState(server::CodaLabClient &client, const QString &uuid)
{
    return fetchBundle(client, uuid)[QLatin1String("attributes")]
        .toObject()[QLatin1String("state")]
        .toString();
}

bool waitServerState(server::CodaLabClient &client, const QString &uuid, const QString &state, int timeoutMs)
{
    return spinUntil([&] { return serverState(client, uuid) == state; }, timeoutMs, 100);
}

WorkerProcess::WorkerProcess(const QStringList &extraArguments)
    : m_id(QStringLiteral("gui-test-%1-%2")
               .arg(QCoreApplication::applicationPid())
               .arg(reinterpret_cast<quintptr>(this), 0, 16))
{
    REQUIRE(m_dir.isValid());
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    QStringList args { QStringLiteral("--local"), QStringLiteral("--local-data-dir"), dataDir(),
        QStringLiteral("--work-dir"), workDir(), QStringLiteral("--id"), m_id,
        QStringLiteral("--control-socket"), socketPath(), QStringLiteral("--no-network"),
        QStringLiteral("--image-refresh-seconds"), QStringLiteral("3600") };
    args += extraArguments;
    m_process.start(QStringLiteral(CODALAB_WORKER_BIN), args);
    REQUIRE(m_process.waitForStarted(10000));
}

WorkerProcess::~WorkerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(20000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    // A test may end while a run still runs (the worker keeps its containers): leave the daemon as found.
    docker::DockerClient docker;
    const docker::DockerResult listed = waitReply(docker.listContainers(
        { { QStringLiteral("label"), { QStringLiteral("org.codalab.worker=") + m_id } } }));
    for (const QJsonValue &c : listed.json.array()) {
        waitReply(docker.removeContainer(c.toObject().value(QLatin1String("Id")).toString(), true));
    }
}

void WorkerProcess::waitReady()
{
    const bool ready = spinUntil(
        [this] {
            return QFile::exists(dataDir() + QStringLiteral("/server-url")) && QFile::exists(socketPath())
                && m_process.state() == QProcess::Running;
        },
        30000, 20);
    INFO(log().toStdString());
    REQUIRE(ready);
}

QString WorkerProcess::serverUrl() const
{
    QFile f(dataDir() + QStringLiteral("/server-url"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).trimmed() : QString();
}

QString WorkerProcess::password() const
{
    QFile f(dataDir() + QStringLiteral("/codalab-password"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).split(QLatin1Char('\n')).value(1)
                                       : QString();
}

QByteArray WorkerProcess::log()
{
    m_log += m_process.readAll();
    return m_log;
}

bool connectLink(ui::WorkerLink &link, const WorkerProcess &worker, int timeoutMs)
{
    link.setReconnectIntervalMs(100);
    link.setSocketPath(worker.socketPath());
    return spinUntil([&] { return link.isConnected() && !link.status().isEmpty(); }, timeoutMs);
}

} // namespace codalab::test
