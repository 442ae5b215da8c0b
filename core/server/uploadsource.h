// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIODevice>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace codalab::server {

/// What an upload of local paths sends, decided as upstream's `cl upload` decides it
/// (codalab/lib/upload_manager.py, zip_util.py): a folder goes as `<name>.tar.gz` packed on the fly and
/// unpacked by the server; an archive (.tar.gz, .tgz, .tar.bz2, .zip, .gz, .bz2) as it is, unpacked unless
/// `pack`; any other file as it is; several paths as one `contents.tar.gz` with each under its own name.
///
/// Usage: inspect() (it walks the folders to count their bytes: off the GUI thread), then write() on a
/// thread of its own into the pipe the upload reads.
class UploadSource
{
public:
    /// Files and folders to upload; nullopt and *error when one is missing or cannot be read.
    static std::optional<UploadSource> inspect(const QStringList &paths, bool pack, QString *error);

    const QString &filename() const { return m_filename; }
    bool unpack() const { return m_unpack; }
    /// Bytes of the files to read (the progress total).
    qint64 totalBytes() const { return m_totalBytes; }
    /// The bundle name upstream gives such an upload: the base names joined with "-", cleaned to the name
    /// pattern, an archive extension dropped unless packed, at most 32 characters.
    QString defaultName() const { return defaultNameFor(m_paths, m_pack); }
    static QString defaultNameFor(const QStringList &paths, bool pack);

    /// Writes the body to `out`, telling `onRead` the bytes of each block read; false and *error when a
    /// read or write failed or `onRead` returned false (cancelled).
    bool write(QIODevice *out, const std::function<bool(qint64)> &onRead, QString *error) const;
    /// gzip's level for what is packed here (0: gzip's default). BundleUpload takes the fastest for a server
    /// on this machine, where bytes cost nothing and compressing harder only costs time.
    void setCompressionLevel(int level) { m_compressionLevel = level; }

    static bool isArchiveName(const QString &name);
    /// Upstream's create_default_name: characters outside [a-zA-Z0-9_.-] become "-", no "--", a leading
    /// "_" if it starts with neither a letter nor "_", long names cut to their first and last 15.
    static QString cleanName(const QString &text);

private:
    QStringList m_paths;
    QString m_filename;
    bool m_unpack = false;
    bool m_pack = false;
    bool m_archive = false; ///< packed here (a folder or several paths)
    int m_compressionLevel = 0;
    qint64 m_totalBytes = 0;
};

} // namespace codalab::server
