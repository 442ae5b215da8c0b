// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/runrecord.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace codalab::worker {

/// The resource histories of runs that finished and left the worker, one file `<dir>/<uuid>.json` each,
/// so the desktop can still chart a run after it is gone. The newest `keep` files stay; older ones go.
///
/// Usage: save() the document when a run finishes, load() it when asked. Each file is at most a few tens
/// of KiB (ResourceHistory keeps at most 720 points), so both run on the caller's thread.
class RunHistoryStore
{
public:
    static constexpr int DefaultKeep = 200;

    explicit RunHistoryStore(QString dir, int keep = DefaultKeep);

    /// The control socket's `runHistory` answer for a run: {"uuid", "finished", "memoryLimit" (bytes, 0:
    /// none), "gpuMemoryTotal" (bytes, 0: no GPU), "samplesPerPoint", "samples": [...]}.
    static QJsonObject document(const RunRecord &run, bool finished);

    /// Writes the document atomically (QSaveFile), then removes all but the newest `keep` files.
    bool save(const QJsonObject &document, QString *error);
    /// The saved document of `uuid`; nullopt when there is none, with *error saying why when one exists
    /// but cannot be read (a uuid that is not a bundle uuid never names a file).
    std::optional<QJsonObject> load(const QString &uuid, QString *error) const;
    const QString &dir() const { return m_dir; }

private:
    QString pathOf(const QString &uuid) const;
    void prune();

    QString m_dir;
    int m_keep;
};

} // namespace codalab::worker
