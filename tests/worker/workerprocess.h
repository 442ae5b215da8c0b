// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>

#include <memory>

namespace codalab::test {

/// What a short-lived codalab-worker command printed and returned.
struct WorkerOutcome
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// Runs the codalab-worker executable (CODALAB_WORKER_BIN) to its end while the event loop turns, so a
/// server living in the test process can answer it; REQUIREs that it ends within timeoutMs.
WorkerOutcome runWorker(const QStringList &arguments, int timeoutMs = 30000);

/// A free TCP port on 127.0.0.1, for a server that must come back on the same address.
quint16 freePort();

/// The codalab-worker daemon as a child process; killed (SIGKILL) when it goes out of scope.
/// Usage: set `arguments`, start(); kill() for a crash, process->terminate() for a clean stop.
struct WorkerDaemon
{
    QStringList arguments;
    /// Merged stdout+stderr when captureOutput is set before start(); otherwise stderr goes to the test's.
    bool captureOutput = false;
    std::unique_ptr<QProcess> process;

    void start();
    /// SIGKILL and wait: no chance to clean up.
    void kill();
    /// Everything it printed so far (captureOutput only), kept across restarts.
    QByteArray output();
    ~WorkerDaemon();

private:
    QByteArray m_output;
};

} // namespace codalab::test
