// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/localfilelogsource.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QThreadPool>

namespace codalab::ui {

namespace {

/// What one read on the pool produced: the bytes, or why there are none.
struct ReadResult
{
    QByteArray data;
    QString error;
};

ReadResult readRange(const QString &path, qint64 offset, qint64 length)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return { {},
            QCoreApplication::translate("codalab::ui::LocalFileLogSource", "Cannot open %1: %2")
                .arg(path, file.errorString()) };
    }
    if (offset >= file.size()) {
        return {}; // past the end (the file shrank): nothing, which is not an error
    }
    if (!file.seek(offset)) {
        return { {},
            QCoreApplication::translate("codalab::ui::LocalFileLogSource", "Cannot read %1: %2")
                .arg(path, file.errorString()) };
    }
    ReadResult result;
    result.data = file.read(qMax<qint64>(0, qMin(length, file.size() - offset)));
    if (result.data.isNull() && file.error() != QFileDevice::NoError) {
        result.error = QCoreApplication::translate("codalab::ui::LocalFileLogSource", "Cannot read %1: %2")
                           .arg(path, file.errorString());
    }
    return result;
}

struct FindResult
{
    qint64 position = -1;
    QString error;
};

} // namespace

LocalFileLogSource::LocalFileLogSource(QString path, QThreadPool *pool, QObject *parent)
    : LogSource(parent)
    , m_path(std::move(path))
    , m_pool(pool ? pool : QThreadPool::globalInstance())
{ }

QString LocalFileLogSource::displayName() const
{
    return QFileInfo(m_path).fileName();
}

int LocalFileLogSource::requestSize()
{
    const int request = nextRequestId();
    runInPool<qint64>(
        m_pool,
        [path = m_path]() {
            const QFileInfo info(path);
            return info.exists() ? info.size() : Missing;
        },
        [this, request](qint64 size) { Q_EMIT sizeKnown(request, size); });
    return request;
}

int LocalFileLogSource::requestRange(qint64 offset, qint64 length)
{
    const int request = nextRequestId();
    runInPool<ReadResult>(
        m_pool, [path = m_path, offset, length]() { return readRange(path, offset, length); },
        [this, request, offset](const ReadResult &result) {
            if (!result.error.isEmpty()) {
                Q_EMIT failed(request, result.error);
            } else {
                Q_EMIT rangeRead(request, offset, result.data);
            }
        });
    return request;
}

int LocalFileLogSource::requestFind(
    qint64 offset, qint64 length, const QByteArray &needle, Qt::CaseSensitivity cs, bool backwards)
{
    // Read and scan in one go on the pool: the chunk never visits this thread.
    const int request = nextRequestId();
    runInPool<FindResult>(
        m_pool,
        [path = m_path, offset, length, needle, cs, backwards]() {
            const ReadResult read = readRange(path, offset, length);
            if (!read.error.isEmpty()) {
                return FindResult { -1, read.error };
            }
            const qint64 at = LogSource::find(read.data, needle, cs, backwards);
            return FindResult { at < 0 ? -1 : offset + at, {} };
        },
        [this, request](const FindResult &result) {
            if (!result.error.isEmpty()) {
                Q_EMIT failed(request, result.error);
            } else {
                Q_EMIT findDone(request, result.position);
            }
        });
    return request;
}

} // namespace codalab::ui
