// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/boundedpipe.h"

#include <cstring>

namespace codalab::util {

namespace {

/// The writing end: write() is BoundedPipe::write(); reading is not possible.
class PipeWriter : public QIODevice
{
public:
    explicit PipeWriter(BoundedPipe &pipe)
        : m_pipe(pipe)
    {
        open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 size) override
    {
        if (!m_pipe.write(data, size)) {
            setErrorString(m_pipe.abortReason().isEmpty() ? QStringLiteral("The reader went away")
                                                          : m_pipe.abortReason());
            return -1;
        }
        return size;
    }

private:
    BoundedPipe &m_pipe;
};

} // namespace

bool BoundedPipe::write(const char *data, qint64 size)
{
    QMutexLocker lock(&m_mutex);
    qint64 done = 0;
    while (done < size) {
        while (!m_aborted && !m_closed && m_size >= m_capacity) {
            m_writable.wait(&m_mutex);
        }
        if (m_aborted || m_closed) {
            return false;
        }
        const qint64 n = qMin(size - done, m_capacity - m_size);
        m_chunks.emplace_back(data + done, n);
        m_size += n;
        done += n;
        m_readable.wakeAll();
    }
    return true;
}

qint64 BoundedPipe::read(char *data, qint64 max)
{
    QMutexLocker lock(&m_mutex);
    while (!m_aborted && !m_closed && m_size == 0) {
        m_readable.wait(&m_mutex);
    }
    if (m_aborted) {
        return -1;
    }
    qint64 n = 0;
    while (n < max && !m_chunks.empty()) {
        const QByteArray &front = m_chunks.front();
        const qint64 take = qMin(max - n, qint64(front.size()) - m_frontOffset);
        std::memcpy(data + n, front.constData() + m_frontOffset, size_t(take));
        n += take;
        m_frontOffset += take;
        if (m_frontOffset == front.size()) {
            m_chunks.pop_front();
            m_frontOffset = 0;
        }
    }
    m_size -= n;
    m_writable.wakeAll();
    return n;
}

void BoundedPipe::closeWrite()
{
    QMutexLocker lock(&m_mutex);
    m_closed = true;
    m_readable.wakeAll();
    m_writable.wakeAll();
}

void BoundedPipe::abort(const QString &reason)
{
    QMutexLocker lock(&m_mutex);
    if (!m_aborted) {
        m_aborted = true;
        m_reason = reason;
    }
    m_readable.wakeAll();
    m_writable.wakeAll();
}

bool BoundedPipe::isAborted() const
{
    QMutexLocker lock(&m_mutex);
    return m_aborted;
}

QString BoundedPipe::abortReason() const
{
    QMutexLocker lock(&m_mutex);
    return m_reason;
}

std::unique_ptr<QIODevice> BoundedPipe::writer()
{
    return std::make_unique<PipeWriter>(*this);
}

} // namespace codalab::util
