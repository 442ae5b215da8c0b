// SPDX-License-Identifier: GPL-3.0-or-later
// codalab-local-server: a CodaLab-compatible server on 127.0.0.1 for offline use and for the tests.
#include "localserver/localserver.h"
#include "secrets/passwordprompt.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using namespace codalab::localserver;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("codalab-local-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CODALAB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A CodaLab Worksheets server for this machine, on 127.0.0.1"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDir(QStringLiteral("data-dir"),
        QStringLiteral("Database and bundle contents."), QStringLiteral("DIR"),
        LocalServerConfig::defaultDataDir());
    const QCommandLineOption port(QStringLiteral("port"),
        QStringLiteral("TCP port on 127.0.0.1; 0 picks a free one."), QStringLiteral("PORT"),
        QStringLiteral("0"));
    const QCommandLineOption addUser(QStringLiteral("add-user"),
        QStringLiteral("Add a user, print its password and exit."), QStringLiteral("NAME"));
    const QCommandLineOption setPassword(QStringLiteral("set-password"),
        QStringLiteral("Set a user's password, read from standard input (asked twice on a terminal, one line "
                       "from a pipe), and exit. A running server takes it at once."),
        QStringLiteral("USER"));
    const QCommandLineOption tokenLifetime(QStringLiteral("token-lifetime"),
        QStringLiteral("Access token lifetime in seconds."), QStringLiteral("SECONDS"),
        QStringLiteral("3600"));
    const QCommandLineOption cpuImage(QStringLiteral("default-cpu-image"),
        QStringLiteral("Image for runs that name none."), QStringLiteral("IMAGE"),
        LocalServerConfig().defaultCpuImage);
    const QCommandLineOption gpuImage(QStringLiteral("default-gpu-image"),
        QStringLiteral("Image for GPU runs that name none."), QStringLiteral("IMAGE"),
        LocalServerConfig().defaultGpuImage);
    parser.addOptions({ dataDir, port, addUser, setPassword, tokenLifetime, cpuImage, gpuImage });
    parser.process(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    LocalServerConfig config;
    config.dataDir = parser.value(dataDir);
    bool ok = true;
    config.port = parser.value(port).toUShort(&ok);
    config.tokenLifetimeSec = parser.value(tokenLifetime).toInt();
    config.defaultCpuImage = parser.value(cpuImage);
    config.defaultGpuImage = parser.value(gpuImage);
    if (!ok || config.tokenLifetimeSec <= 0) {
        err << "codalab-local-server: --port takes 0-65535 and --token-lifetime a positive number of "
               "seconds\n";
        return 2;
    }

    LocalServer server(config);
    QString error;
    if (parser.isSet(addUser)) {
        if (!server.store().open(config.dataDir, &error)) {
            err << "codalab-local-server: " << error << '\n';
            return 1;
        }
        const QString password = server.addUser(parser.value(addUser), &error);
        if (password.isEmpty()) {
            err << "codalab-local-server: " << error << '\n';
            return 1;
        }
        out << "Added user " << parser.value(addUser) << " with password " << password << '\n';
        return 0;
    }
    if (parser.isSet(setPassword)) {
        const QString name = parser.value(setPassword);
        if (!server.store().open(config.dataDir, &error)) {
            err << "codalab-local-server: " << error << '\n';
            return 1;
        }
        err.flush();
        const auto password = codalab::secrets::PasswordPrompt::readNew(
            QStringLiteral("New password for %1: ").arg(name), &error);
        if (!password || !server.setPassword(name, *password, &error)) {
            err << "codalab-local-server: " << error << '\n';
            return 1;
        }
        out << "Changed the password of " << name << '\n';
        return 0;
    }
    if (!server.start(&error)) {
        err << "codalab-local-server: " << error << '\n';
        return 1;
    }
    out << "CodaLab local server listening on " << server.url() << '\n';
    out << "Data: " << config.dataDir << '\n';
    if (!server.initialPassword().isEmpty()) {
        out << "Created user codalab with password " << server.initialPassword() << " (also in "
            << server.passwordFile() << ", mode 0600)\n";
    }
    out.flush();
    return app.exec();
}
