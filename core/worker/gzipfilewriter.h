// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QTemporaryFile>

// zlib's stream type, declared here so that including this header does not pull in zlib.h.
struct gzFile_s;

namespace codalab::worker {

/// A gzip stream into a new temporary file, for the data replies of the worker's `read` messages: bodies
/// are streamed file to file in chunks, never held whole in memory.
///
/// Usage: construct it with the directory for the file (made if missing), write() and copy() into it, then
/// call finish(). The first failure sticks: later calls do nothing and return false, and finish() reports
/// it through errorString(). The file is removed again unless finish() succeeds; after that it is the
/// caller's (fileName()) to send and delete.
class GzipFileWriter
{
public:
    explicit GzipFileWriter(const QString &dir);
    ~GzipFileWriter();
    GzipFileWriter(const GzipFileWriter &) = delete;
    GzipFileWriter &operator=(const GzipFileWriter &) = delete;

    bool write(const char *data, qint64 length);
    bool write(const QByteArray &data) { return write(data.constData(), data.size()); }
    /// Copies bytes [from, to) of the open file `fd` (fewer if the file shrank meanwhile).
    bool copy(int fd, qint64 from, qint64 to);
    /// Ends the gzip stream. True: the file is complete, and kept for the caller; false: errorString() says
    /// what failed, and the file goes with this object.
    bool finish();

    QString fileName() const { return m_file.fileName(); }
    QString errorString() const { return m_error; }

private:
    QTemporaryFile m_file;
    gzFile_s *m_gz = nullptr;
    QString m_error;
};

} // namespace codalab::worker
