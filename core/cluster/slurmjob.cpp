// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/slurmjob.h"

#include <QStringList>

namespace codalab::cluster {

namespace {

QDateTime slurmTime(const QString &text)
{
    // "2026-12-06T11:12:45" in the cluster's local time; "N/A" or "Unknown" when there is none.
    return QDateTime::fromString(text, Qt::ISODate);
}

} // namespace

bool SlurmJob::isPending() const
{
    return state == QLatin1String("PENDING") || state == QLatin1String("REQUEUED")
        || state == QLatin1String("REQUEUE_HOLD") || state == QLatin1String("RESV_DEL_HOLD");
}

bool SlurmJob::isActive() const
{
    static const QStringList active { QStringLiteral("CONFIGURING"), QStringLiteral("RUNNING"),
        QStringLiteral("COMPLETING"), QStringLiteral("SUSPENDED"), QStringLiteral("STOPPED"),
        QStringLiteral("RESIZING"), QStringLiteral("SIGNALING"), QStringLiteral("STAGE_OUT") };
    return isPending() || active.contains(state);
}

bool SlurmJob::endedBadly() const
{
    static const QStringList bad { QStringLiteral("FAILED"), QStringLiteral("TIMEOUT"),
        QStringLiteral("OUT_OF_MEMORY"), QStringLiteral("NODE_FAIL"), QStringLiteral("BOOT_FAIL"),
        QStringLiteral("DEADLINE"), QStringLiteral("PREEMPTED"), QStringLiteral("CANCELLED") };
    return bad.contains(state);
}

bool SlurmJob::cannotStart() const
{
    // squeue's reasons for a job that the scheduler will never start as submitted (slurm.conf and the
    // squeue man page, "JOB REASON CODES"); a job waiting on Resources or Priority just waits.
    static const QStringList never { QStringLiteral("BadConstraints"), QStringLiteral("PartitionConfig"),
        QStringLiteral("PartitionNodeLimit"), QStringLiteral("PartitionTimeLimit"),
        QStringLiteral("PartitionDown"), QStringLiteral("PartitionInactive"),
        QStringLiteral("InvalidAccount"), QStringLiteral("InvalidQOS"), QStringLiteral("AccountNotAllowed"),
        QStringLiteral("QOSNotAllowed"), QStringLiteral("ReqNodeNotAvail, UnavailableNodes"),
        QStringLiteral("DependencyNeverSatisfied"), QStringLiteral("JobHeldAdmin") };
    return isPending()
        && (never.contains(reason) || reason.startsWith(QLatin1String("QOSMax"))
            || reason.startsWith(QLatin1String("AssocMax")));
}

QString SlurmJob::queueFormat()
{
    return QStringLiteral("%i|%T|%r|%N|%V|%S|%j");
}

QList<SlurmJob> SlurmJob::parse(const QString &output)
{
    QList<SlurmJob> jobs;
    for (const QString &line : output.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QStringList f = line.trimmed().split(QLatin1Char('|'));
        if (f.size() < 7 || f[0].isEmpty() || f[1].isEmpty()) {
            continue;
        }
        SlurmJob j;
        j.id = f[0];
        j.state = f[1];
        j.reason = f[2];
        j.node = f[3] == QLatin1String("(null)") ? QString() : f[3];
        j.submitted = slurmTime(f[4]);
        j.started = j.isPending() ? QDateTime() : slurmTime(f[5]);
        j.name = f.mid(6).join(QLatin1Char('|'));
        jobs << j;
    }
    return jobs;
}

} // namespace codalab::cluster
