// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace codalab::worker {

/// One answer to a `read` message: a JSON reply, or a data reply whose body waits gzipped in a file.
struct ReadAnswer
{
    bool isData = false;
    /// JSON replies: {"target_info": ...} or {"error_code", "error_message"}; data replies: the header ({}).
    QJsonObject json;
    /// Data replies: a temporary file holding the gzipped body; whoever sends it deletes it afterwards.
    QString dataFile;

    int errorCode() const { return json.value(QLatin1String("error_code")).toInt(); }
};

/// The files of a running bundle, read and written for the server's `read` and `write` messages
/// (codalab-protocol.md §3.4), as upstream's Reader answers them:
///
/// * get_target_info (`depth`): {"target_info": {...util::TargetInfo..., "resolved_target"}}; the bundle
///   root is named after the bundle uuid;
/// * stream_directory: a tar.gz of the directory, as `tar czf` writes it, without upstream's always-ignored
///   `.git`, `._*` and `__MACOSX`;
/// * stream_file: the file gzipped, up to the size it had when opened (stdout keeps growing);
/// * read_file_section (`offset`, `length`): those bytes gzipped, nothing when offset ≥ size;
/// * summarize_file (`num_head_lines`, `num_tail_lines`, `max_line_length`, `truncation_text`): upstream's
///   head and tail rules, gzipped (lines end at '\n'; "<binary>" when the lines shown are not UTF-8).
///
/// Errors are JSON replies {"error_code", "error_message"}: 404 for a path that does not exist, leaves the
/// run directory, goes through a symlink or names a hidden entry; 400 for an unknown read type, bad
/// arguments, or a path of the wrong kind; 500 for anything else.
///
/// A path stays inside `runDir`: absolute paths and "." or ".." parts are refused, and the path is
/// walked one directory at a time with O_NOFOLLOW, reading the target through descriptors, so that the
/// container (which writes to the run directory while this reads it) cannot swap in a symlink to the host's
/// files. A symlink is reported as type "link" with its target, never followed, never streamed. `hidden`
/// are top-level names of dependency links: never listed, never streamed, 404 when asked for.
///
/// Usage: call answer() or write() on a pool thread (RunReadService does); both are synchronous, share no
/// state and may run at once. Data bodies are streamed file to file, never whole in memory.
class RunFileReader
{
public:
    RunFileReader() = delete;

    /// `path` is the subpath inside the bundle from the message; data bodies go to files in `tempDir`.
    static ReadAnswer answer(const QString &runDir, const QString &bundleUuid, const QString &path,
        const QJsonObject &readArgs, const QStringList &hidden, const QString &tempDir);
    /// The `write` message: writes `text` to runDir/subpath, creating or overwriting a regular file; refused
    /// (false, *error says why) for hidden names, escapes, symlinks, directories and other non-files.
    static bool write(const QString &runDir, const QString &subpath, const QByteArray &text,
        const QStringList &hidden, QString *error);

    /// What upstream's worker answers when the bundle is not one of its runs; the server retries on it.
    static QJsonObject notRunningReply();
};

} // namespace codalab::worker
