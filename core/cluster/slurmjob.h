// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace codalab::cluster {

/// One Slurm job as `squeue` lists it. Slurm's own words for state and reason are kept (PENDING, RUNNING,
/// COMPLETED, FAILED...; Resources, Priority, ReqNodeNotAvail...), so that what the manager reports is what
/// the cluster's documentation explains.
struct SlurmJob
{
    QString id;
    QString name;
    QString state;
    QString reason; ///< why it waits or how it ended; "None" when there is nothing to say
    QString node; ///< where it runs or ran; empty while pending
    QDateTime submitted;
    QDateTime started; ///< invalid until it starts

    bool isPending() const;
    /// Pending, configuring, running, completing, suspended: it holds or will hold a worker.
    bool isActive() const;
    /// Ended without doing its work: failed, timed out, out of memory, node or boot failure, deadline, or
    /// cancelled by someone (the manager remembers what it cancelled itself).
    bool endedBadly() const;
    /// Pending for a reason that no waiting will change: the request can never be met as it is.
    bool cannotStart() const;

    /// The `--format` that parse() reads: fields joined by '|', the name (the only free text) last.
    static QString queueFormat();
    /// `squeue --noheader --format=queueFormat()` output, a job a line; lines it cannot read are skipped.
    static QList<SlurmJob> parse(const QString &output);
};

} // namespace codalab::cluster
