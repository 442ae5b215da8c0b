// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

namespace codalab::worker {

/// The worker's state file, written atomically (temporary file, fsync, rename via QSaveFile) so a crash or
/// `kill -9` leaves either the old or the new state, never a torn one.
class StateFile
{
public:
    explicit StateFile(QString path);

    const QString &path() const { return m_path; }
    /// An empty object when the file does not exist. A file that is not a JSON object is moved aside to
    /// "<path>.corrupt-<epoch>" and *warning says so; the worker then starts empty instead of refusing to
    /// start.
    QJsonObject load(QString *warning);
    bool save(const QJsonObject &state, QString *error);

private:
    QString m_path;
};

} // namespace codalab::worker
