// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/workerprocess.h"

#include "worker/workerharness.h"

#include <QTcpServer>

#include <catch2/catch.hpp>

namespace codalab::test {

WorkerOutcome runWorker(const QStringList &arguments, int timeoutMs)
{
    QProcess p;
    p.start(QStringLiteral(CODALAB_WORKER_BIN), arguments);
    REQUIRE(p.waitForStarted());
    // Keep the event loop turning: the server these commands talk to lives in this process.
    REQUIRE(waitUntil([&] { return p.state() == QProcess::NotRunning; }, timeoutMs));
    return { p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError() };
}

quint16 freePort()
{
    QTcpServer s;
    REQUIRE(s.listen(QHostAddress::LocalHost, 0));
    return s.serverPort();
}

void WorkerDaemon::start()
{
    output(); // keep what an earlier process printed
    process = std::make_unique<QProcess>();
    process->setProcessChannelMode(
        captureOutput ? QProcess::MergedChannels : QProcess::ForwardedErrorChannel);
    process->start(QStringLiteral(CODALAB_WORKER_BIN), arguments);
    REQUIRE(process->waitForStarted());
}

void WorkerDaemon::kill()
{
    if (process && process->state() != QProcess::NotRunning) {
        process->kill();
        process->waitForFinished();
    }
}

QByteArray WorkerDaemon::output()
{
    if (process && captureOutput) {
        m_output += process->readAll();
    }
    return m_output;
}

WorkerDaemon::~WorkerDaemon()
{
    kill();
}

} // namespace codalab::test
