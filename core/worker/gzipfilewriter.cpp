// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/gzipfilewriter.h"

#include <QDir>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

namespace codalab::worker {

namespace {

constexpr qint64 ChunkSize = 256 * 1024;

} // namespace

GzipFileWriter::GzipFileWriter(const QString &dir)
    : m_file(QDir(dir).filePath(QStringLiteral("read-XXXXXX.gz")))
{
    QDir().mkpath(dir);
    if (m_file.open()) {
        // zlib gets a descriptor of its own, so that gzclose() leaves QTemporaryFile's open.
        const int copy = ::fcntl(m_file.handle(), F_DUPFD_CLOEXEC, 0);
        m_gz = copy < 0 ? nullptr : ::gzdopen(copy, "wb6");
        if (!m_gz && copy >= 0) {
            ::close(copy);
        }
    }
    m_error = m_gz ? QString()
                   : QStringLiteral("Cannot make a temporary file in %1: %2").arg(dir, m_file.errorString());
}

GzipFileWriter::~GzipFileWriter()
{
    if (m_gz) {
        ::gzclose(m_gz);
    }
}

bool GzipFileWriter::write(const char *data, qint64 length)
{
    if (m_error.isEmpty() && length > 0 && ::gzwrite(m_gz, data, unsigned(length)) != int(length)) {
        m_error = QStringLiteral("Cannot write %1: %2").arg(m_file.fileName(), qt_error_string(errno));
    }
    return m_error.isEmpty();
}

bool GzipFileWriter::copy(int fd, qint64 from, qint64 to)
{
    QByteArray buffer(ChunkSize, Qt::Uninitialized);
    while (from < to && m_error.isEmpty()) {
        const ssize_t n = ::pread(fd, buffer.data(), size_t(qMin(ChunkSize, to - from)), from);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            if (n < 0) {
                m_error = QStringLiteral("Cannot read: %1").arg(qt_error_string(errno));
            }
            break;
        }
        write(buffer.constData(), n);
        from += n;
    }
    return m_error.isEmpty();
}

bool GzipFileWriter::finish()
{
    if (m_gz && ::gzclose(m_gz) != Z_OK && m_error.isEmpty()) {
        m_error = QStringLiteral("Cannot write %1").arg(m_file.fileName());
    }
    m_gz = nullptr;
    if (!m_error.isEmpty()) {
        return false;
    }
    m_file.setAutoRemove(false);
    return true;
}

} // namespace codalab::worker
