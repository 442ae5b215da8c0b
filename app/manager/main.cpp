// SPDX-License-Identifier: GPL-3.0-or-later
// codalab-worker-manager: staged runs of a queue tag become Slurm jobs running codalab-worker; and the
// commands that talk to a running manager.
#include "managercommandline.h"
#include "managerdaemon.h"
#include "util/logformat.h"
#include "worker/controlcall.h"
#include "worker/controlclient.h"
#include "worker/controlerror.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTextStream>

using namespace codalab;

namespace {

void printStatus(QTextStream &out, const QJsonObject &s)
{
    out << "Manager " << s.value(QLatin1String("state")).toString() << ", tag "
        << s.value(QLatin1String("tag")).toString() << ", "
        << s.value(QLatin1String("staged_runs")).toArray().size() << " staged runs, at most "
        << s.value(QLatin1String("max_workers")).toInt() << " jobs\n";
    if (const QString e = s.value(QLatin1String("last_error")).toString(); !e.isEmpty()) {
        out << "Last problem: " << e << '\n';
    }
    for (const QJsonValue &v : s.value(QLatin1String("jobs")).toArray()) {
        const QJsonObject j = v.toObject();
        const QString run = j.value(QLatin1String("run")).toString();
        out << "  job " << j.value(QLatin1String("id")).toString() << "  "
            << j.value(QLatin1String("state")).toString() << "  "
            << (run.isEmpty() ? QStringLiteral("(spare)") : run) << "  "
            << (j.value(QLatin1String("node")).toString().isEmpty()
                       ? QStringLiteral("-")
                       : j.value(QLatin1String("node")).toString())
            << "  " << j.value(QLatin1String("reason")).toString() << "  "
            << j.value(QLatin1String("age_seconds")).toInteger() << " s\n";
    }
    for (const QJsonValue &v : s.value(QLatin1String("refused_runs")).toArray()) {
        out << "  not submitted: " << v.toObject().value(QLatin1String("run")).toString() << ": "
            << v.toObject().value(QLatin1String("why")).toString() << '\n';
    }
}

int control(const ManagerCommandLine &cl)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    worker::ControlClient client;
    QObject::connect(&client, &worker::ControlClient::errorOccurred, [&](const QString &message) {
        err << "codalab-worker-manager: no manager answers at " << cl.controlSocket << " (" << message
            << ")\n";
        QCoreApplication::exit(3);
    });
    QObject::connect(&client, &worker::ControlClient::connected, [&] {
        worker::ControlCall *call = client.call(cl.controlCommand);
        QObject::connect(call, &worker::ControlCall::finished,
            [&](const QJsonValue &result, const worker::ControlError &error) {
                if (error.isError()) {
                    err << "codalab-worker-manager: " << error.message << '\n';
                    QCoreApplication::exit(1);
                    return;
                }
                if (cl.json) {
                    out << QJsonDocument(result.toObject()).toJson(QJsonDocument::Indented);
                } else {
                    printStatus(out, result.toObject());
                }
                out.flush();
                QCoreApplication::exit(0);
            });
    });
    client.connectToServer(cl.controlSocket);
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    util::LogFormat::install();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("codalab-worker-manager"));
    QCoreApplication::setOrganizationName(QStringLiteral("CodaLab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CODALAB_VERSION));
    QString error;
    const auto cl = ManagerCommandLine::parse(QCoreApplication::arguments(), &error);
    if (!cl) {
        QTextStream(stderr) << "codalab-worker-manager: " << error
                            << "\nTry 'codalab-worker-manager --help'.\n";
        return 2;
    }
    if (cl->verbose) {
        QLoggingCategory::setFilterRules(QStringLiteral("codalab.*.debug=true"));
    }
    if (cl->mode == ManagerCommandLine::Mode::Control) {
        return control(*cl);
    }
    ManagerDaemon daemon(*cl);
    QObject::connect(
        &daemon, &ManagerDaemon::exit, &app, [](int code) { QCoreApplication::exit(code); },
        Qt::QueuedConnection);
    daemon.start();
    return QCoreApplication::exec();
}
