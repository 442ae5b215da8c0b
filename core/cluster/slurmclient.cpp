// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/slurmclient.h"

#include "cluster/jobscript.h"

#include <QPointer>
#include <QProcess>
#include <QTimer>

namespace codalab::cluster {

SlurmClient::SlurmClient(QString sshHost, QObject *parent)
    : QObject(parent)
    , m_sshHost(std::move(sshHost))
{ }

SlurmClient::~SlurmClient()
{
    for (QProcess *p : findChildren<QProcess *>()) {
        p->disconnect(this);
        p->kill();
        p->waitForFinished(1000);
    }
}

void SlurmClient::run(const QString &program, const QStringList &args, const QByteArray &input, Callback done)
{
    auto *p = new QProcess(this);
    if (m_sshHost.isEmpty()) {
        p->setProgram(program);
        p->setArguments(args);
    } else {
        // BatchMode: a host that would ask for a password fails at once instead of waiting on a prompt.
        QStringList remote { JobScript::shellQuote(program) };
        for (const QString &a : args) {
            remote << JobScript::shellQuote(a);
        }
        p->setProgram(QStringLiteral("ssh"));
        p->setArguments({ QStringLiteral("-o"), QStringLiteral("BatchMode=yes"), m_sshHost,
            QStringLiteral("--"), remote.join(QLatin1Char(' ')) });
    }
    auto *timer = new QTimer(p);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, p, [p] { p->kill(); });
    const QString what = program;
    auto finish = [this, p, done, what](bool started) {
        SlurmResult r;
        r.exitCode = p->exitCode();
        r.output = QString::fromUtf8(p->readAllStandardOutput());
        r.error = QString::fromUtf8(p->readAllStandardError()).trimmed();
        const bool crashed = p->exitStatus() != QProcess::NormalExit;
        r.ok = started && !crashed && r.exitCode == 0;
        if (!started) {
            r.unreachable = true;
            r.error = QStringLiteral("cannot run %1: %2").arg(what, p->errorString());
        } else if (crashed) {
            r.unreachable = true;
            r.error = QStringLiteral("%1 did not answer within %2 s").arg(what).arg(TimeoutMs / 1000);
        } else if (!r.ok) {
            // Slurm's words when its controller does not answer; ssh exits 255 when it cannot connect.
            r.unreachable = (!m_sshHost.isEmpty() && r.exitCode == 255)
                || r.error.contains(QLatin1String("Unable to contact slurm controller"))
                || r.error.contains(QLatin1String("Socket timed out"))
                || r.error.contains(QLatin1String("Zero Bytes were transmitted"));
        }
        p->deleteLater();
        done(r);
    };
    connect(p, &QProcess::finished, this, [finish] { finish(true); });
    connect(p, &QProcess::errorOccurred, this, [finish](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            finish(false);
        }
    });
    timer->start(TimeoutMs);
    p->start();
    if (!input.isNull()) {
        p->write(input);
        p->closeWriteChannel();
    }
}

void SlurmClient::submit(const QStringList &args, const QString &script, Callback done)
{
    run(QStringLiteral("sbatch"), args, script.toUtf8(), std::move(done));
}

void SlurmClient::jobs(
    const QString &namePrefix, std::function<void(const SlurmResult &, const QList<SlurmJob> &)> done)
{
    // --states=all: a job that just ended is still listed (for MinJobAge, 300 s by default), so that the
    // manager sees how it ended.
    run(QStringLiteral("squeue"),
        { QStringLiteral("--me"), QStringLiteral("--states=all"), QStringLiteral("--noheader"),
            QStringLiteral("--format=%1").arg(SlurmJob::queueFormat()) },
        {}, [done, namePrefix](const SlurmResult &r) {
            QList<SlurmJob> ours;
            if (r.ok) {
                for (const SlurmJob &j : SlurmJob::parse(r.output)) {
                    if (j.name.startsWith(namePrefix)) {
                        ours << j;
                    }
                }
            }
            done(r, ours);
        });
}

void SlurmClient::cancel(const QStringList &jobIds, Callback done)
{
    run(QStringLiteral("scancel"), jobIds, {}, std::move(done));
}

void SlurmClient::partitions(std::function<void(const SlurmResult &, const QList<SlurmPartition> &)> done)
{
    run(QStringLiteral("sinfo"), SlurmPartition::arguments(), {}, [done](const SlurmResult &r) {
        if (!r.ok) {
            done(r, {});
            return;
        }
        QString error;
        const QList<SlurmPartition> partitions = SlurmPartition::parse(r.output, &error);
        if (!error.isEmpty()) {
            // Slurm answered, in words this does not know (another version or a wrapper): not worth retrying.
            SlurmResult failed = r;
            failed.ok = false;
            failed.error = QStringLiteral("cannot read sinfo's output: %1").arg(error);
            done(failed, {});
            return;
        }
        done(r, partitions);
    });
}

} // namespace codalab::cluster
