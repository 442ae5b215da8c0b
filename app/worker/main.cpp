// SPDX-License-Identifier: GPL-3.0-or-later
// codalab-worker: the headless engine. This build carries its Docker check; the CodaLab worker loop
// (check-in, runs, uploads) is the work of issue #5.
#include "docker/dockerclient.h"
#include "docker/dockerselfcheck.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using namespace codalab::docker;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("codalab-worker"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CODALAB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("CodaLab Desktop worker"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption check(QStringLiteral("check-docker"),
        QStringLiteral(
            "Check that Docker can run CodaLab containers: run IMAGE with no network and print its output."),
        QStringLiteral("IMAGE"));
    parser.addOption(check);
    parser.process(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!parser.isSet(check)) {
        err << "codalab-worker: the CodaLab worker loop is not built yet; use --check-docker IMAGE\n";
        return 2;
    }
    DockerClient client;
    DockerSelfCheck selfCheck(&client, parser.value(check));
    QObject::connect(&selfCheck, &DockerSelfCheck::step, [&out](const QString &message) {
        out << "  " << message << '\n';
        out.flush();
    });
    int exitCode = 1;
    QObject::connect(&selfCheck, &DockerSelfCheck::finished, [&](bool ok, const QString &message) {
        if (ok) {
            out << "Docker works: " << message << '\n';
            exitCode = 0;
        } else {
            err << "codalab-worker: " << message << '\n';
        }
        QCoreApplication::quit();
    });
    selfCheck.start();
    app.exec();
    return exitCode;
}
