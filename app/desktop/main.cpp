// SPDX-License-Identifier: GPL-3.0-or-later
// codalab-desktop: the researcher's window onto their worker and their CodaLab runs.
#include "common/englishplurals.h"
#include "docker/dockerclient.h"
#include "secrets/secretstore.h"
#include "shell/desktopapp.h"
#include "shell/singleinstance.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QNetworkAccessManager>
#include <QSettings>

#include <memory>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("CodaLab Desktop"));
    QApplication::setOrganizationName(QStringLiteral("CodaLab"));
    QApplication::setApplicationVersion(QStringLiteral(CODALAB_VERSION));
    // Wayland matches windows to their desktop entry by this name (and the tray icon to the app).
    QApplication::setDesktopFileName(QStringLiteral("org.codalab.Desktop"));
    // The window may be hidden in the tray: closing the last window is not quitting.
    QApplication::setQuitOnLastWindowClosed(false);

    // Counts read "1 run" / "2 runs": the sources say "%n run(s)" as Qt's plural convention has it.
    codalab::ui::EnglishPlurals plurals;
    QApplication::installTranslator(&plurals);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main",
        "Lend this computer to CodaLab as a worker, submit runs and watch them. The worker (codalab-worker) "
        "keeps running when this window quits."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption minimized(QStringLiteral("minimized"),
        QApplication::translate("main", "Start in the tray, without opening the window."));
    const QCommandLineOption show(QStringLiteral("show"),
        QApplication::translate("main", "Open the window (of the instance already running, if any)."));
    parser.addOption(minimized);
    parser.addOption(show);
    parser.process(app);

    QSettings settings;
    codalab::secrets::SecretStore secrets;
    codalab::docker::DockerClient docker;
    QNetworkAccessManager nam;
    std::unique_ptr<codalab::ui::DesktopApp> desktop;

    // One instance per user: a second launch raises the first one's window and goes.
    codalab::ui::SingleInstance instance(codalab::ui::SingleInstance::defaultSocketPath());
    const auto run = [&] {
        desktop = std::make_unique<codalab::ui::DesktopApp>(
            &settings, &secrets, &docker, &nam, codalab::ui::DesktopOptions());
        QObject::connect(desktop.get(), &codalab::ui::DesktopApp::quitRequested, &app, &QApplication::quit);
        QObject::connect(&instance, &codalab::ui::SingleInstance::messageReceived, desktop.get(),
            &codalab::ui::DesktopApp::handleArguments);
        desktop->start(parser.isSet(minimized) && !parser.isSet(show));
    };
    QObject::connect(&instance, &codalab::ui::SingleInstance::primary, &app, run);
    QObject::connect(&instance, &codalab::ui::SingleInstance::failed, &app, [&](const QString &message) {
        qWarning("codalab-desktop: %s; running without single-instance detection", qPrintable(message));
        run();
    });
    QObject::connect(&instance, &codalab::ui::SingleInstance::forwarded, &app, &QApplication::quit);
    QStringList forwarded;
    if (parser.isSet(minimized)) {
        forwarded << QStringLiteral("--minimized");
    }
    if (parser.isSet(show)) {
        forwarded << QStringLiteral("--show");
    }
    instance.start(forwarded);
    const int status = QApplication::exec();
    desktop.reset();
    return status;
}
