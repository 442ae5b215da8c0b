// SPDX-License-Identifier: GPL-3.0-or-later
#include "submitcommand.h"

#include "secrets/passwordfile.h"
#include "server/bundlestate.h"
#include "server/codalabclient.h"
#include "server/runfollower.h"
#include "server/runrequest.h"
#include "server/runsubmission.h"
#include "server/serverconnection.h"
#include "server/tokenmanager.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QTextStream>

#include <memory>

using codalab::server::BundleState;

using namespace codalab;

int SubmitCommand::run(const QString &serverUrl, const QString &passwordFile, const QString &command,
    const QString &image, const QString &queue)
{
    QTextStream err(stderr);
    if (command.trimmed().isEmpty()) {
        err << "codalab-worker: submit needs a command, e.g. codalab-worker submit 'echo hello'\n";
        return 2;
    }
    secrets::PasswordFile file(passwordFile);
    if (passwordFile.isEmpty() || !file.load()) {
        err << "codalab-worker: submit needs --password-file (or --local-data-dir): " << file.errorString()
            << '\n';
        return 2;
    }
    QNetworkAccessManager nam;
    server::ServerConnection connection(&nam);
    QString error;
    if (!connection.setServerUrl(serverUrl, &error)) {
        err << "codalab-worker: " << error << '\n';
        return 2;
    }
    // The CLI's client id, as `cl` uses: the worker's own token stays valid.
    server::TokenManager tokens(
        &connection, QStringLiteral("codalab_cli_client"), server::TokenManager::Mode::Refresh);
    tokens.setCredentials(file.credentials().username, file.credentials().password);
    connection.setTokenManager(&tokens);
    server::CodaLabClient client(&connection);
    server::RunRequest request;
    request.command = command;
    request.image = image;
    request.queue = queue;
    int exitCode = 1;
    server::RunSubmission *submission = client.submitRun(request);
    QObject::connect(submission, &server::RunSubmission::finished, [&](const server::ApiResult &result) {
        if (!result.ok()) {
            err << "codalab-worker: the server refused the run: " << result.error.message << '\n';
            QCoreApplication::exit(result.error.isTransient() ? 4 : 1);
            return;
        }
        const QString uuid = submission->bundleUuid();
        QTextStream(stdout) << "Submitted run " << uuid << ": " << server::RunRequest(request).toClCommand()
                            << '\n';
        auto *follower = new server::RunFollower(&client, uuid, &client);
        auto lastState = std::make_shared<QString>();
        QObject::connect(follower, &server::RunFollower::stateChanged, [lastState](const QString &state) {
            *lastState = state;
            QTextStream(stderr) << "[run is " << state << "]\n";
        });
        QObject::connect(follower, &server::RunFollower::output, [](int stream, const QByteArray &data) {
            QTextStream(stream == 1 ? stderr : stdout) << QString::fromUtf8(data);
        });
        QObject::connect(follower, &server::RunFollower::finished,
            [&exitCode, lastState](const QString &finalState, const server::ApiError &e) {
                if (e || finalState != *lastState) {
                    QTextStream(stderr) << "[run is " << finalState << ']'
                                        << (e ? QStringLiteral(" ") + e.message : QString()) << '\n';
                }
                exitCode = finalState == BundleState::Ready ? 0 : 1;
                QCoreApplication::exit(exitCode);
            });
        follower->start();
    });
    const int code = QCoreApplication::exec();
    return code == 4 ? 4 : exitCode;
}
