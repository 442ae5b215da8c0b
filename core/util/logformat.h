// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QtGlobal>

namespace codalab::util {

/// How the daemons' log lines read: an ISO-8601 local time with milliseconds and the UTC offset, then
/// the level when it is worse than info, the category and the message, e.g.
/// `2024-05-01T12:00:00.123+02:00 codalab.worker.run: 0x1234abcd: preparing → running`.
///
/// Usage: call install() at the top of main(); QT_MESSAGE_PATTERN still changes everything after the time.
class LogFormat
{
public:
    LogFormat() = delete;

    static void install();
    /// "2024-05-01T12:00:00.123+02:00" ("Z" for UTC).
    static QString timestamp(const QDateTime &time);
    /// One line as install()'s handler writes it (without the newline).
    static QString line(
        QtMsgType type, const QMessageLogContext &context, const QString &message, const QDateTime &time);
};

} // namespace codalab::util
