// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace codalab::localserver {

class BundleStore;

/// What StoreRecovery found and did at a start; all zero after a clean stop.
struct RecoveryReport
{
    int tmpFilesRemoved = 0; ///< request bodies and downloads cut off in <data dir>/tmp
    int unfinishedUploadsRemoved = 0; ///< <uuid>.incoming and its staging: an upload cut off while unpacked
    int swapsCompleted = 0; ///< <uuid>.old: contents put back (or dropped) after a cut-off swap
    int orphanDirsRemoved = 0; ///< contents without a bundle row: a delete cut off half-way
    int missingDirsMade = 0; ///< an unfinished run without its (still empty) contents directory
    int makesRestarted = 0; ///< make bundles cut off while `making`, back to `created` to be made again
    int runsRequeued = 0; ///< runs handed to a worker but not started, staged again
    QStringList lostContents; ///< finished bundles whose contents are gone: reported, left as they are
    QStringList strangers; ///< entries of the bundles directory that are no bundle's: left alone

    bool clean() const;
    /// One line per kind of repair, for the log.
    QStringList lines() const;
};

/// Puts a data directory back in order after the server stopped without warning (killed, crashed, the
/// machine lost power), before the server answers anyone. The database itself needs nothing: SQLite
/// rolls back an unfinished transaction when it opens. What needs care is the contents on disk, which
/// change next to the database rather than inside its transactions: uploads are unpacked into
/// <uuid>.incoming and swapped in by two renames, deletes drop the row and then the files, creates add
/// the row and then the directory. Each of those cut at any point leaves a state this class resolves
/// towards what the database says. A run that was handed to a worker but not started goes back to staged:
/// the message that carried it to the worker lived in memory only.
///
/// Usage: StoreRecovery::run(bundles, bundlesDir, tmpDir) once at start; log report.lines().
class StoreRecovery
{
public:
    static RecoveryReport run(BundleStore &bundles, const QString &bundlesDir, const QString &tmpDir);
};

} // namespace codalab::localserver
