// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/apiresult.h"
#include "server/codalabclient.h"
#include "server/runrequest.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"
#include "support/clientsession.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

class QWidget;
class QAbstractButton;

namespace codalab::server {
class ApiJob;
}
namespace codalab::ui {
class WorkerLink;
}

namespace codalab::test {

/// Saves widget->grab() as docs/screenshots/<name> when CODALAB_SCREENSHOTS=1 (after letting posted
/// layout requests run); otherwise does nothing.
void saveScreenshot(QWidget *widget, const QString &name);

/// The button under `parent` whose text (without '&') or accessible name is `text`; FAILs when none.
QAbstractButton *findButton(QWidget *parent, const QString &text);

/// A run of the offline test image with little memory, named so that it reads back unchanged.
server::RunRequest testRun(const QString &command, const QString &name = QStringLiteral("gui-test"));
/// Submits as `cl run` does; REQUIREs success; the new bundle's uuid.
QString submit(server::CodaLabClient &client, const server::RunRequest &request);
/// The bundle resource as the server has it now.
QJsonObject fetchBundle(server::CodaLabClient &client, const QString &uuid);
QString serverState(server::CodaLabClient &client, const QString &uuid);
/// Waits until the server has the bundle in `state`; false after timeoutMs.
bool waitServerState(server::CodaLabClient &client, const QString &uuid, const QString &state, int timeoutMs);

/// The real `codalab-worker --local` as a child process: its embedded local server and the worker, in a
/// temporary directory, with no network for containers and a unique worker id. The destructor stops it
/// (SIGTERM) and removes any container it left.
class WorkerProcess
{
public:
    explicit WorkerProcess(const QStringList &extraArguments = {});
    ~WorkerProcess();

    /// Waits until the server URL file and the control socket exist; FAILs with the log after 30 s.
    void waitReady();
    QString id() const { return m_id; }
    QString socketPath() const { return m_dir.filePath(QStringLiteral("worker.sock")); }
    QString dataDir() const { return m_dir.filePath(QStringLiteral("server")); }
    QString workDir() const { return m_dir.filePath(QStringLiteral("work")); }
    QString serverUrl() const;
    /// Of the local server's root user `codalab`.
    QString password() const;
    /// Everything it printed so far.
    QByteArray log();
    QProcess &process() { return m_process; }

private:
    QTemporaryDir m_dir;
    QString m_id;
    QProcess m_process;
    QByteArray m_log;
};

/// Points `link` at `worker`'s control socket (retrying every 100 ms) and waits until it is connected and
/// has a status; false after timeoutMs.
bool connectLink(ui::WorkerLink &link, const WorkerProcess &worker, int timeoutMs = 10000);

} // namespace codalab::test
