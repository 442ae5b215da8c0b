// SPDX-License-Identifier: GPL-3.0-or-later
// codalab-worker: the headless CodaLab worker daemon, its control commands, and a Docker check.
#include "controlcommand.h"
#include "docker/dockerclient.h"
#include "docker/dockerselfcheck.h"
#include "gpureport.h"
#include "submitcommand.h"
#include "util/logformat.h"
#include "worker/controlserver.h"
#include "workercommandline.h"
#include "workerdaemon.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

using namespace codalab;

namespace {

int checkDocker(const QString &image)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    docker::DockerClient client;
    docker::DockerSelfCheck selfCheck(&client, image);
    QObject::connect(&selfCheck, &docker::DockerSelfCheck::step, [&out](const QString &message) {
        out << "  " << message << '\n';
        out.flush();
    });
    int exitCode = 3;
    QObject::connect(&selfCheck, &docker::DockerSelfCheck::finished, [&](bool ok, const QString &message) {
        if (ok) {
            out << "Docker works: " << message << '\n';
            exitCode = 0;
        } else {
            err << "codalab-worker: " << message << '\n';
        }
        QCoreApplication::quit();
    });
    selfCheck.start();
    QCoreApplication::exec();
    return exitCode;
}

} // namespace

int main(int argc, char *argv[])
{
    util::LogFormat::install(); // a daemon's log is read later: every line says when
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("codalab-worker"));
    QCoreApplication::setOrganizationName(QStringLiteral("CodaLab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CODALAB_VERSION));

    QString error;
    auto commandLine = WorkerCommandLine::parse(QCoreApplication::arguments(), &error);
    if (!commandLine) {
        QTextStream(stderr) << "codalab-worker: " << error << "\nTry 'codalab-worker --help'.\n";
        return 2;
    }
    if (commandLine->verbose) {
        QLoggingCategory::setFilterRules(QStringLiteral("codalab.*.debug=true"));
    }
    switch (commandLine->mode) {
    case WorkerCommandLine::Mode::CheckDocker:
        return checkDocker(commandLine->checkDockerImage);
    case WorkerCommandLine::Mode::GpuReport:
        return GpuReport::run();
    case WorkerCommandLine::Mode::Control:
        return ControlCommand::run(commandLine->controlSocket.isEmpty()
                ? worker::ControlServer::defaultSocketPath(commandLine->config.id)
                : commandLine->controlSocket,
            commandLine->control, commandLine->json, commandLine->giveBack);
    case WorkerCommandLine::Mode::Submit:
        return SubmitCommand::run(commandLine->serverUrl, commandLine->passwordFile,
            commandLine->control.mid(1).join(QLatin1Char(' ')), commandLine->requestImage,
            commandLine->requestQueue);
    case WorkerCommandLine::Mode::Run:
        break;
    }
    WorkerDaemon daemon(*commandLine);
    QObject::connect(
        &daemon, &WorkerDaemon::exit, &app, [](int code) { QCoreApplication::exit(code); },
        Qt::QueuedConnection);
    daemon.start();
    return QCoreApplication::exec();
}
