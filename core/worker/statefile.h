// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>

namespace codalab::worker {

/// A JSON state file of the worker (its runs, the dependency cache, the image cache), written atomically
/// (temporary file, fsync, rename via QSaveFile) so a crash or `kill -9` leaves either the old or the new
/// state, never a torn one.
class StateFile
{
public:
    /// `what` names the file in messages, e.g. "image cache state".
    explicit StateFile(QString path, QString what = QStringLiteral("state file"));

    const QString &path() const { return m_path; }
    /// The file's object, or an empty one when there is no file. A file that cannot be read gives nullopt
    /// and *error. A file that is not a JSON object, or that `valid` refuses, is moved aside to
    /// "<path>.corrupt-<epoch>" and *warning says so: what it held can be rebuilt, so the worker starts
    /// without it instead of refusing to start.
    std::optional<QJsonObject> read(
        QString *error, QString *warning, const std::function<bool(const QJsonObject &)> &valid = {});
    /// read(), with an unreadable file reported in *warning too.
    QJsonObject load(QString *warning);
    bool save(const QJsonObject &state, QString *error);

private:
    QString m_path;
    QString m_what;
};

} // namespace codalab::worker
