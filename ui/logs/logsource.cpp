// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/logsource.h"

namespace codalab::ui {

LogSource::LogSource(QObject *parent)
    : QObject(parent)
{
    // The default requestFind() is a range read whose answer is scanned off this thread.
    connect(this, &LogSource::rangeRead, this, [this](int request, qint64, const QByteArray &data) {
        const auto it = m_finds.constFind(request);
        if (it == m_finds.cend()) {
            return;
        }
        const PendingFind find = *it;
        m_finds.erase(it);
        runInPool<qint64>(
            QThreadPool::globalInstance(),
            [data, find]() {
                const qint64 at = LogSource::find(data, find.needle, find.cs, find.backwards);
                return at < 0 ? at : find.offset + at;
            },
            [this, request](qint64 position) { Q_EMIT findDone(request, position); });
    });
    connect(this, &LogSource::failed, this, [this](int request) { m_finds.remove(request); });
}

int LogSource::requestFind(
    qint64 offset, qint64 length, const QByteArray &needle, Qt::CaseSensitivity cs, bool backwards)
{
    const int request = requestRange(offset, length);
    m_finds.insert(request, PendingFind { offset, needle, cs, backwards });
    return request;
}

qint64 LogSource::find(
    const QByteArray &haystack, const QByteArray &needle, Qt::CaseSensitivity cs, bool backwards)
{
    if (needle.isEmpty()) {
        return -1;
    }
    if (cs == Qt::CaseSensitive) {
        return backwards ? haystack.lastIndexOf(needle) : haystack.indexOf(needle);
    }
    // Qt 6's toLower() folds ASCII only, which leaves UTF-8 sequences (and so byte offsets) as they are.
    const QByteArray lowerNeedle = needle.toLower();
    const QByteArray lower = haystack.toLower();
    return backwards ? lower.lastIndexOf(lowerNeedle) : lower.indexOf(lowerNeedle);
}

} // namespace codalab::ui
