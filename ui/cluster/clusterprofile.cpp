// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/clusterprofile.h"

#include "shell/workerlauncher.h"
#include "worker/controlserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QRegularExpression>
#include <QSettings>

namespace codalab::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ClusterProfile", text);
}

} // namespace

QStringList ClusterProfile::validate(const QList<ClusterProfile> &others) const
{
    // The manager's own rules (ManagerConfig::validate) said here first, with the field's name, so the
    // dialog can say them before anything starts.
    static const QRegularExpression word(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    static const QRegularExpression host(QStringLiteral("^[A-Za-z0-9_.@:\\[\\]-]+$"));
    QStringList problems;
    if (name.trimmed().isEmpty()) {
        problems << tr("Name: give the cluster a name.");
    }
    if (!word.match(tag).hasMatch()) {
        problems << tr(
            "Queue tag: letters, digits, '_', '.' and '-' only (the tag runs are submitted with).");
    }
    if (!sshHost.isEmpty() && !host.match(sshHost).hasMatch()) {
        problems << tr("Login node: a host name or an alias of your ssh config, without spaces.");
    }
    if (maxWorkers < 1) {
        problems << tr("Jobs at most: at least 1.");
    }
    if (minWorkers < 0 || minWorkers > maxWorkers) {
        problems << tr("Spare jobs: between 0 and the jobs at most.");
    }
    if (idleSeconds < 1) {
        problems << tr("Idle time: at least one second.");
    }
    if (!sshHost.isEmpty() && (logDir.isEmpty() || passwordFile.isEmpty())) {
        problems << tr("Over ssh, give the log directory and the password file on the cluster: ssh does "
                       "not pass your account to the jobs.");
    }
    if (!logDir.isEmpty() && !QDir::isAbsolutePath(logDir)) {
        problems << tr("Log directory: an absolute path.");
    }
    if (!passwordFile.isEmpty() && !QDir::isAbsolutePath(passwordFile)) {
        problems << tr("Password file: an absolute path.");
    }
    for (const ClusterProfile &o : others) {
        if (o.name == name) {
            problems << tr("Name: another cluster is called %1.").arg(name);
        }
        if (o.tag == tag) {
            problems << tr("Queue tag: cluster %1 serves %2 already.").arg(o.name, tag);
        }
    }
    return problems;
}

QString ClusterProfile::socketPath() const
{
    return worker::ControlServer::defaultSocketPath(QStringLiteral("manager-") + tag);
}

QString ClusterProfile::managerLogPath() const
{
    return WorkerLauncher::stateLogPath(QStringLiteral("manager-") + tag);
}

QStringList ClusterProfile::managerArguments(const QString &serverUrl) const
{
    QStringList a { QStringLiteral("slurm"), QStringLiteral("--server"), serverUrl, QStringLiteral("--tag"),
        tag, QStringLiteral("--max-workers"), QString::number(maxWorkers), QStringLiteral("--min-workers"),
        QString::number(minWorkers), QStringLiteral("--idle-seconds"), QString::number(idleSeconds),
        QStringLiteral("--control-socket"), socketPath() };
    const auto add = [&a](const char *flag, const QString &value) {
        if (!value.isEmpty()) {
            a << QLatin1String(flag) << value;
        }
    };
    add("--ssh", sshHost);
    add("--partition", partition);
    add("--account", account);
    add("--gpu-type", gpuType);
    add("--worker-args", workerArgs.simplified());
    add("--log-dir", logDir);
    add("--password-file", passwordFile);
    for (const QString &arg : sbatchArgs) {
        a << QStringLiteral("--sbatch-arg=") + arg; // '=' so an argument that starts with '-' stays a value
    }
    return a;
}

QString ClusterProfile::reachText() const
{
    return sshHost.isEmpty() ? tr("this computer") : tr("ssh %1").arg(sshHost);
}

QList<ClusterProfile> ClusterProfile::load(QSettings *settings)
{
    QList<ClusterProfile> profiles;
    const int n = settings->beginReadArray(QStringLiteral("clusters"));
    for (int i = 0; i < n; ++i) {
        settings->setArrayIndex(i);
        ClusterProfile p;
        p.name = settings->value(QStringLiteral("name")).toString();
        p.sshHost = settings->value(QStringLiteral("sshHost")).toString();
        p.tag = settings->value(QStringLiteral("tag")).toString();
        p.partition = settings->value(QStringLiteral("partition")).toString();
        p.account = settings->value(QStringLiteral("account")).toString();
        p.gpuType = settings->value(QStringLiteral("gpuType")).toString();
        p.maxWorkers = settings->value(QStringLiteral("maxWorkers"), p.maxWorkers).toInt();
        p.minWorkers = settings->value(QStringLiteral("minWorkers"), p.minWorkers).toInt();
        p.idleSeconds = settings->value(QStringLiteral("idleSeconds"), p.idleSeconds).toInt();
        p.workerArgs = settings->value(QStringLiteral("workerArgs")).toString();
        p.sbatchArgs = settings->value(QStringLiteral("sbatchArgs")).toStringList();
        p.logDir = settings->value(QStringLiteral("logDir")).toString();
        p.passwordFile = settings->value(QStringLiteral("passwordFile")).toString();
        if (!p.name.isEmpty() && !p.tag.isEmpty()) { // a hand-edited entry without them cannot be used
            profiles << p;
        }
    }
    settings->endArray();
    return profiles;
}

void ClusterProfile::save(QSettings *settings, const QList<ClusterProfile> &profiles)
{
    settings->remove(QStringLiteral("clusters"));
    settings->beginWriteArray(QStringLiteral("clusters"), int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const ClusterProfile &p = profiles.at(i);
        settings->setArrayIndex(i);
        settings->setValue(QStringLiteral("name"), p.name);
        settings->setValue(QStringLiteral("sshHost"), p.sshHost);
        settings->setValue(QStringLiteral("tag"), p.tag);
        settings->setValue(QStringLiteral("partition"), p.partition);
        settings->setValue(QStringLiteral("account"), p.account);
        settings->setValue(QStringLiteral("gpuType"), p.gpuType);
        settings->setValue(QStringLiteral("maxWorkers"), p.maxWorkers);
        settings->setValue(QStringLiteral("minWorkers"), p.minWorkers);
        settings->setValue(QStringLiteral("idleSeconds"), p.idleSeconds);
        settings->setValue(QStringLiteral("workerArgs"), p.workerArgs);
        settings->setValue(QStringLiteral("sbatchArgs"), p.sbatchArgs);
        settings->setValue(QStringLiteral("logDir"), p.logDir);
        settings->setValue(QStringLiteral("passwordFile"), p.passwordFile);
    }
    settings->endArray();
    settings->sync();
}

} // namespace codalab::ui
