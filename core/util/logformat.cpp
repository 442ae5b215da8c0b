// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/logformat.h"

#include <cstdio>

namespace codalab::util {

namespace {

void writeLine(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QByteArray text = LogFormat::line(type, context, message, QDateTime::currentDateTime()).toUtf8();
    // One write per line, so lines of two threads never interleave.
    std::fprintf(stderr, "%s\n", text.constData());
    std::fflush(stderr);
}

} // namespace

void LogFormat::install()
{
    qSetMessagePattern(
        QStringLiteral("%{if-warning}warning: %{endif}%{if-critical}error: %{endif}"
                       "%{if-fatal}fatal: %{endif}%{if-category}%{category}: %{endif}%{message}"));
    qInstallMessageHandler(writeLine);
}

QString LogFormat::timestamp(const QDateTime &time)
{
    // A local QDateTime prints without its offset; one with a fixed offset prints it, so a log read on
    // another machine, or across a daylight-saving change, still orders and compares correctly.
    return time.toOffsetFromUtc(time.offsetFromUtc()).toString(Qt::ISODateWithMs);
}

QString LogFormat::line(
    QtMsgType type, const QMessageLogContext &context, const QString &message, const QDateTime &time)
{
    return timestamp(time) + QLatin1Char(' ') + qFormatLogMessage(type, context, message);
}

} // namespace codalab::util
