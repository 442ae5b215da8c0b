// SPDX-License-Identifier: GPL-3.0-or-later
#include "system/nvidiasmi.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

#include <memory>

namespace codalab::system {

QString NvidiaSmi::find(const QString &program)
{
    return program.contains(QLatin1Char('/')) ? program : QStandardPaths::findExecutable(program);
}

void NvidiaSmi::run(
    QObject *parent, const QString &path, const QStringList &arguments, const QString &what, Done done)
{
    auto *process = new QProcess(parent);
    auto settled = std::make_shared<bool>(false);
    const auto settle = [process, settled, done](const QByteArray &out, const QString &error) {
        if (*settled) {
            return;
        }
        *settled = true;
        process->deleteLater();
        done(out, error);
    };
    QObject::connect(process, &QProcess::finished, process,
        [process, settle, what](int exitCode, QProcess::ExitStatus status) {
            const QByteArray out = process->readAllStandardOutput();
            if (status != QProcess::NormalExit || exitCode != 0) {
                const QString message = QString::fromUtf8(out + process->readAllStandardError()).simplified();
                settle({},
                    QStringLiteral("%1 failed (exit code %2): %3")
                        .arg(what)
                        .arg(exitCode)
                        .arg(message.left(300)));
                return;
            }
            settle(out, {});
        });
    QObject::connect(
        process, &QProcess::errorOccurred, process, [process, settle, what](QProcess::ProcessError error) {
            if (error == QProcess::FailedToStart) {
                settle({}, QStringLiteral("%1 could not be started: %2").arg(what, process->errorString()));
            }
        });
    // The parent's destructor deletes this child, and ~QProcess still waits for the process and emits
    // finished(): the answer would reach a half-destroyed parent. Gone, it hears nothing.
    QObject::connect(parent, &QObject::destroyed, process, [settled] { *settled = true; });
    QTimer::singleShot(TimeoutMs, process, [process, settle, what] {
        process->disconnect();
        process->kill();
        settle({}, QStringLiteral("%1 did not answer within %2 s").arg(what).arg(TimeoutMs / 1000));
    });
    process->start(path, arguments);
}

} // namespace codalab::system
