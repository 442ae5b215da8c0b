// SPDX-License-Identifier: GPL-3.0-or-later
// codalab-desktop: the researcher's window onto their worker and their CodaLab runs.
#include "docker/dockerclient.h"
#include "shell/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("CodaLab Desktop"));
    QApplication::setOrganizationName(QStringLiteral("CodaLab"));
    QApplication::setApplicationVersion(QStringLiteral(CODALAB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.codalab.Desktop"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("CodaLab Desktop"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    codalab::docker::DockerClient docker;
    codalab::ui::MainWindow window(&docker);
    window.show();
    return app.exec();
}
