// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/logsearch.h"

#include "logs/logsource.h"

namespace codalab::ui {

LogSearch::LogSearch(LogSource *source, QByteArray needle, Qt::CaseSensitivity cs, QObject *parent)
    : QObject(parent)
    , m_source(source)
    , m_needle(std::move(needle))
    , m_cs(cs)
{
    connect(source, &LogSource::findDone, this, &LogSearch::onFindDone);
    connect(source, &LogSource::failed, this, &LogSearch::onFailed);
}

void LogSearch::start(qint64 from, qint64 fileSize, bool backwards)
{
    m_backwards = backwards;
    m_fileSize = qMax<qint64>(0, fileSize);
    from = qBound<qint64>(0, from, m_fileSize);
    m_scanned = 0;
    m_running = true;
    if (backwards) {
        m_segments = { { 0, from }, { from, m_fileSize } };
    } else {
        m_segments = { { from, m_fileSize }, { 0, from } };
    }
    m_segmentIndex = 0;
    m_cursor = backwards ? m_segments.first().end : m_segments.first().begin;
    next();
}

void LogSearch::cancel()
{
    m_running = false;
    m_request = 0;
}

void LogSearch::next()
{
    if (!m_running) {
        return;
    }
    if (!m_source || m_needle.isEmpty()) {
        m_running = false;
        Q_EMIT notFound();
        return;
    }
    const qint64 chunk = m_source->searchChunkBytes();
    const qint64 overlap = m_needle.size() - 1; // a match may straddle two chunks
    while (m_segmentIndex < m_segments.size()) {
        const Segment &segment = m_segments.at(m_segmentIndex);
        if (!m_backwards && m_cursor < segment.end) {
            m_chunkEnd = qMin(segment.end, m_cursor + chunk);
            const qint64 length = qMin(m_chunkEnd + overlap, m_fileSize) - m_cursor;
            m_request = m_source->requestFind(m_cursor, length, m_needle, m_cs, false);
            return;
        }
        if (m_backwards && m_cursor > segment.begin) {
            const qint64 begin = qMax(segment.begin, m_cursor - chunk);
            const qint64 length = qMin(m_cursor + overlap, m_fileSize) - begin;
            m_chunkEnd = m_cursor;
            m_cursor = begin;
            m_request = m_source->requestFind(begin, length, m_needle, m_cs, true);
            return;
        }
        if (++m_segmentIndex < m_segments.size()) {
            m_cursor = m_backwards ? m_segments.at(m_segmentIndex).end : m_segments.at(m_segmentIndex).begin;
        }
    }
    m_running = false;
    Q_EMIT notFound();
}

void LogSearch::onFindDone(int request, qint64 position)
{
    if (!m_running || request != m_request) {
        return;
    }
    m_request = 0;
    // The chunk was read past its end by the overlap: a match starting there belongs to the next chunk,
    // except a backward scan, whose chunk ends where the previous one began.
    const bool inChunk = position >= 0 && position < m_chunkEnd;
    if (inChunk) {
        m_running = false;
        Q_EMIT found(position, m_segmentIndex > 0);
        return;
    }
    if (!m_backwards) {
        m_scanned += m_chunkEnd - m_cursor;
        m_cursor = m_chunkEnd;
    } else {
        m_scanned += m_chunkEnd - m_cursor;
    }
    Q_EMIT progress(m_scanned, m_fileSize);
    next();
}

void LogSearch::onFailed(int request, const QString &message)
{
    if (!m_running || request != m_request) {
        return;
    }
    m_running = false;
    m_request = 0;
    Q_EMIT failed(message);
}

} // namespace codalab::ui
