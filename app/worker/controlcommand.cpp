// SPDX-License-Identifier: GPL-3.0-or-later
#include "controlcommand.h"

#include "util/bytesize.h"
#include "util/duration.h"
#include "worker/controlcall.h"
#include "worker/controlclient.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

using codalab::worker::ControlCall;
using codalab::worker::ControlClient;
using codalab::worker::ControlError;

int ControlCommand::run(const QString &socketPath, const QStringList &command, bool json, bool giveBack)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QString name = command.value(0);
    QString method;
    QJsonObject params;
    bool ok = true;
    if (name == QLatin1String("status") || name == QLatin1String("pause") || name == QLatin1String("resume")
        || name == QLatin1String("drain")) {
        method = name;
    } else if (name == QLatin1String("stop")) {
        method = name;
        params.insert(QStringLiteral("giveBack"), giveBack);
    } else if (name == QLatin1String("snooze")) {
        method = name;
        params.insert(QStringLiteral("seconds"), command.value(1).toInt(&ok));
    } else if (name == QLatin1String("set-slots")) {
        method = QStringLiteral("setSlots");
        params.insert(QStringLiteral("slots"), command.value(1).toInt(&ok));
    } else if (name == QLatin1String("kill")) {
        method = QStringLiteral("killRun");
        params.insert(QStringLiteral("uuid"), command.value(1));
        ok = !command.value(1).isEmpty();
    }
    if (method.isEmpty() || !ok) {
        err << "codalab-worker: unknown or incomplete command '" << command.join(QLatin1Char(' '))
            << "'; try status, pause, resume, drain, stop [--give-back], snooze SECONDS, set-slots N, kill "
               "UUID\n";
        return 2;
    }
    ControlClient client;
    int exitCode = 3;
    QObject::connect(&client, &ControlClient::errorOccurred, [&](const QString &message) {
        err << "codalab-worker: no worker answers at " << socketPath << " (" << message << ")\n";
        QCoreApplication::exit(3);
    });
    QObject::connect(&client, &ControlClient::connected, [&] {
        ControlCall *call = client.call(method, params);
        QObject::connect(
            call, &ControlCall::finished, [&](const QJsonValue &result, const ControlError &error) {
                if (error.isError()) {
                    err << "codalab-worker: " << method << ": " << error.message << '\n';
                    exitCode = error.code == ControlError::TransportError ? 3 : 1;
                } else if (method == QLatin1String("status")) {
                    out << (json ? QString::fromUtf8(
                                QJsonDocument(result.toObject()).toJson(QJsonDocument::Indented))
                                 : formatStatus(result.toObject()));
                    exitCode = 0;
                } else {
                    out << "ok\n";
                    exitCode = 0;
                }
                QCoreApplication::exit(exitCode);
            });
    });
    client.connectToServer(socketPath);
    return QCoreApplication::exec() == 3 ? 3 : exitCode;
}

QString ControlCommand::formatStatus(const QJsonObject &s)
{
    using codalab::util::ByteSize;
    using codalab::util::Duration;
    QString text;
    QTextStream t(&text);
    const QJsonObject server = s.value(QLatin1String("server")).toObject();
    t << "Worker " << s.value(QLatin1String("worker_id")).toString() << " ("
      << s.value(QLatin1String("version")).toString()
      << "): " << s.value(QLatin1String("availability")).toString();
    if (s.value(QLatin1String("snooze_until")).isDouble()) {
        t << " until "
          << QDateTime::fromSecsSinceEpoch(qint64(s.value(QLatin1String("snooze_until")).toDouble()))
                 .toString(Qt::ISODate);
    }
    t << '\n';
    const double last = server.value(QLatin1String("last_checkin")).toDouble();
    t << "Server: " << (server.value(QLatin1String("connected")).toBool() ? "connected" : "not connected");
    if (last > 0) {
        t << ", last check-in " << qint64(QDateTime::currentSecsSinceEpoch() - qint64(last)) << " s ago";
    }
    if (!server.value(QLatin1String("last_error")).toString().isEmpty()) {
        t << " (" << server.value(QLatin1String("last_error")).toString() << ')';
    }
    t << "\nDocker: "
      << s.value(QLatin1String("docker")).toObject().value(QLatin1String("endpoint")).toString() << '\n';
    const QJsonArray slotArray = s.value(QLatin1String("slots")).toArray();
    t << "Slots: " << slotArray.size() << ", runs started " << s.value(QLatin1String("runs_started")).toInt()
      << '\n';
    for (const QJsonValue &v : slotArray) {
        const QJsonObject slot = v.toObject();
        QStringList cpus;
        for (const QJsonValue &c : slot.value(QLatin1String("cpuset")).toArray()) {
            cpus << QString::number(c.toInt());
        }
        t << "  slot " << slot.value(QLatin1String("index")).toInt() << ": "
          << (slot.value(QLatin1String("run")).isString() ? slot.value(QLatin1String("run")).toString()
                                                          : QStringLiteral("idle"));
        if (!cpus.isEmpty()) {
            t << "  cpus " << cpus.join(QLatin1Char(','));
        }
        const QJsonArray gpus = slot.value(QLatin1String("gpuset")).toArray();
        if (!gpus.isEmpty()) {
            t << "  gpus " << gpus.toVariantList().size();
        }
        t << '\n';
    }
    for (const QJsonValue &v : s.value(QLatin1String("runs")).toArray()) {
        const QJsonObject r = v.toObject();
        t << "Run " << r.value(QLatin1String("uuid")).toString() << "  "
          << r.value(QLatin1String("stage")).toString().remove(QStringLiteral("RUN_STAGE.")) << "  "
          << Duration::format(qint64(r.value(QLatin1String("container_time_total")).toDouble())) << "  "
          << r.value(QLatin1String("image")).toString() << "\n    "
          << r.value(QLatin1String("run_status")).toString() << '\n';
    }
    const QJsonObject caches = s.value(QLatin1String("caches")).toObject();
    t << "Caches: dependencies "
      << ByteSize::format(qint64(caches.value(QLatin1String("dependencies_bytes")).toDouble())) << " of "
      << ByteSize::format(qint64(caches.value(QLatin1String("dependencies_max_bytes")).toDouble()))
      << ", images " << ByteSize::format(qint64(caches.value(QLatin1String("images_bytes")).toDouble()))
      << '\n';
    return text;
}
