// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/storerecovery.h"

#include "localserver/bundlestore.h"
#include "server/bundlestate.h"
#include "server/bundletype.h"
#include "util/bundleuuid.h"
#include "util/treecopy.h"

#include <QDir>
#include <QFileInfo>

namespace codalab::localserver {

using server::BundleState;

bool RecoveryReport::clean() const
{
    return tmpFilesRemoved == 0 && unfinishedUploadsRemoved == 0 && swapsCompleted == 0
        && orphanDirsRemoved == 0 && missingDirsMade == 0 && runsRequeued == 0 && makesRestarted == 0
        && lostContents.isEmpty() && strangers.isEmpty();
}

QStringList RecoveryReport::lines() const
{
    QStringList out;
    const auto add = [&out](int count, const QString &what) {
        if (count > 0) {
            out << what.arg(count);
        }
    };
    add(tmpFilesRemoved, QStringLiteral("removed %1 temporary file(s) of requests cut off"));
    add(unfinishedUploadsRemoved, QStringLiteral("removed %1 upload(s) cut off while unpacking"));
    add(swapsCompleted, QStringLiteral("completed %1 contents swap(s) cut off half-way"));
    add(orphanDirsRemoved, QStringLiteral("removed the contents of %1 deleted bundle(s)"));
    add(missingDirsMade, QStringLiteral("made the missing contents directory of %1 unfinished bundle(s)"));
    add(makesRestarted, QStringLiteral("restarted %1 make(s) cut off half-way"));
    add(runsRequeued, QStringLiteral("staged %1 run(s) again that a worker had been given but not started"));
    if (!lostContents.isEmpty()) {
        out << QStringLiteral("the contents of %1 finished bundle(s) are missing: %2")
                   .arg(lostContents.size())
                   .arg(lostContents.join(QStringLiteral(", ")));
    }
    if (!strangers.isEmpty()) {
        out << QStringLiteral("left alone %1 unknown entr(ies) in the bundles directory: %2")
                   .arg(strangers.size())
                   .arg(strangers.join(QStringLiteral(", ")));
    }
    return out;
}

RecoveryReport StoreRecovery::run(BundleStore &bundles, const QString &bundlesDir, const QString &tmpDir)
{
    RecoveryReport report;
    // Nothing in tmp outlives the request that made it.
    const QDir tmp(tmpDir);
    for (const QFileInfo &entry :
        tmp.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot)) {
        report.tmpFilesRemoved += util::TreeCopy::remove(entry.filePath()) ? 1 : 0;
    }
    QDir().mkpath(tmpDir);

    const QHash<QString, QString> states = bundles.states();
    const QDir dir(bundlesDir);
    const QStringList names
        = dir.entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        const QString path = dir.filePath(name);
        // An upload is unpacked into <uuid>.incoming, through a staging directory
        // ".<uuid>.incoming.partial-*" (archives) or a save file "<uuid>.incoming.*" (gzip): all of them are
        // what a cut-off upload left.
        const QString bare = name.startsWith(QLatin1Char('.')) ? name.mid(1) : name;
        if (util::BundleUuid::isValid(bare.left(34)) && bare.mid(34).startsWith(QLatin1String(".incoming"))) {
            report.unfinishedUploadsRemoved += util::TreeCopy::remove(path) ? 1 : 0;
        } else if (name.endsWith(QLatin1String(".old"))) {
            // The swap renames <uuid> to <uuid>.old, then <uuid>.incoming to <uuid>. With <uuid> in place the
            // old contents are garbage; without it the cut came between the renames: put them back.
            const QString current = dir.filePath(name.chopped(4));
            const bool done
                = QFileInfo::exists(current) ? util::TreeCopy::remove(path) : QFile::rename(path, current);
            report.swapsCompleted += done ? 1 : 0;
        } else if (!util::BundleUuid::isValid(name)) {
            report.strangers << name;
        } else if (!states.contains(name)) {
            report.orphanDirsRemoved += util::TreeCopy::remove(path) ? 1 : 0;
        }
    }
    for (auto it = states.begin(); it != states.end(); ++it) {
        if (QFileInfo::exists(dir.filePath(it.key()))) {
            continue;
        }
        if (BundleState::isFinal(it.value())) {
            // Made empty, it would read as a bundle that has no files; missing, reads say so.
            report.lostContents << it.key();
            continue;
        }
        // Only a run has a directory before it finishes (its worker writes there); an upload or a make has
        // none until its contents are complete.
        const auto bundle = bundles.get(it.key());
        if (bundle && bundle->bundleType == server::BundleType::Run && dir.mkpath(it.key())) {
            ++report.missingDirsMade;
        }
    }
    // A make cut off half-way starts again (its copy went with the .incoming directory above).
    for (BundleRecord &b : bundles.inStates({ BundleState::Making })) {
        b.state = BundleState::Created;
        report.makesRestarted += bundles.update(b) ? 1 : 0;
    }
    for (BundleRecord &b : bundles.inStates({ BundleState::Starting })) {
        b.state = BundleState::Staged;
        b.workerId.clear();
        b.workerUserId.clear();
        report.runsRequeued += bundles.update(b) ? 1 : 0;
    }
    return report;
}

} // namespace codalab::localserver
