// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

struct archive;

namespace codalab::test {

/// Builds tar archives in memory with libarchive's writer, so tests can craft what no honest tar writes:
/// "../" and absolute names, escaping links, device nodes. Names and link targets are stored verbatim.
class TarBuilder
{
public:
    enum class Compression { None, Gzip, Xz };

    explicit TarBuilder(Compression compression = Compression::Gzip);
    ~TarBuilder();
    TarBuilder(const TarBuilder &) = delete;
    TarBuilder &operator=(const TarBuilder &) = delete;

    TarBuilder &file(const QByteArray &name, const QByteArray &content, int mode = 0644);
    /// A regular file of `size` zero bytes, written in blocks (a bomb needs no buffer of its size).
    TarBuilder &zeros(const QByteArray &name, qint64 size);
    TarBuilder &dir(const QByteArray &name, int mode = 0755);
    TarBuilder &symlink(const QByteArray &name, const QByteArray &target);
    TarBuilder &hardlink(const QByteArray &name, const QByteArray &target);
    /// A member of S_IFMT type `fileType` (S_IFCHR, S_IFBLK, S_IFIFO) with no data; tar has no
    /// type for sockets.
    TarBuilder &special(const QByteArray &name, unsigned fileType);

    /// The archive's bytes; the builder takes nothing more after this.
    QByteArray finish();

    /// One gzip stream of `data` (format "raw"), or of `zeroCount` zero bytes when `data` is empty.
    static QByteArray gzip(const QByteArray &data, qint64 zeroCount = 0);

private:
    void add(
        const QByteArray &name, unsigned fileType, int mode, qint64 size, const QByteArray &link, bool hard);

    archive *m_archive;
    QByteArray m_data;
};

} // namespace codalab::test
