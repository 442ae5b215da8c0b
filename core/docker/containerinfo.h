// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace codalab::docker {

/// A container as the Engine describes it in inspect (full) or list (summary) answers.
struct ContainerInfo
{
    QString id;
    QString name; ///< without the leading '/'
    QString image;
    QString imageId;
    QString status; ///< created, running, paused, restarting, removing, exited, dead
    bool running = false;
    bool oomKilled = false;
    int exitCode = 0;
    qint64 pid = 0;
    QString error; ///< the daemon's own error starting or running it
    QDateTime startedAt; ///< invalid when never started
    QDateTime finishedAt; ///< invalid while running or never started
    bool tty = false;
    QMap<QString, QString> labels;

    static ContainerInfo fromInspect(const QJsonObject &json);
    static ContainerInfo fromListEntry(const QJsonObject &json);
    /// Parses the Engine's RFC 3339 times with nanoseconds; the zero time "0001-01-01T00:00:00Z" is invalid.
    static QDateTime parseTime(const QString &text);
};

} // namespace codalab::docker
