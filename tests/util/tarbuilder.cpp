// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/tarbuilder.h"

#include <archive.h>
#include <archive_entry.h>
#include <catch2/catch.hpp>
#include <sys/stat.h>

namespace codalab::test {

namespace {

la_ssize_t appendTo(archive *, void *data, const void *block, size_t length)
{
    static_cast<QByteArray *>(data)->append(static_cast<const char *>(block), qsizetype(length));
    return la_ssize_t(length);
}

void writeZeros(archive *a, qint64 count)
{
    const QByteArray block(1 << 16, '\0');
    while (count > 0) {
        const qint64 n = qMin(count, qint64(block.size()));
        REQUIRE(archive_write_data(a, block.constData(), size_t(n)) == n);
        count -= n;
    }
}

} // namespace

TarBuilder::TarBuilder(Compression compression)
    : m_archive(archive_write_new())
{
    if (compression == Compression::Gzip) {
        archive_write_add_filter_gzip(m_archive);
    } else if (compression == Compression::Xz) {
        archive_write_add_filter_xz(m_archive);
    }
    archive_write_set_format_pax_restricted(m_archive);
    // Not padded to a 10 KiB block after the compressed stream, so cutting bytes off really truncates it.
    archive_write_set_bytes_in_last_block(m_archive, 1);
    REQUIRE(archive_write_open(m_archive, &m_data, nullptr, appendTo, nullptr) == ARCHIVE_OK);
}

TarBuilder::~TarBuilder()
{
    archive_write_free(m_archive);
}

void TarBuilder::add(
    const QByteArray &name, unsigned fileType, int mode, qint64 size, const QByteArray &link, bool hard)
{
    archive_entry *entry = archive_entry_new();
    archive_entry_copy_pathname(entry, name.constData());
    archive_entry_set_filetype(entry, fileType);
    archive_entry_set_perm(entry, mode_t(mode));
    archive_entry_set_size(entry, size);
    archive_entry_set_mtime(entry, 1700000000, 0);
    if (hard) {
        archive_entry_copy_hardlink(entry, link.constData());
    } else if (!link.isEmpty()) {
        archive_entry_copy_symlink(entry, link.constData());
    }
    if (fileType == S_IFCHR || fileType == S_IFBLK) {
        archive_entry_set_rdevmajor(entry, 1);
        archive_entry_set_rdevminor(entry, 3);
    }
    REQUIRE(archive_write_header(m_archive, entry) == ARCHIVE_OK);
    archive_entry_free(entry);
}

TarBuilder &TarBuilder::file(const QByteArray &name, const QByteArray &content, int mode)
{
    add(name, S_IFREG, mode, content.size(), QByteArray(), false);
    REQUIRE(archive_write_data(m_archive, content.constData(), size_t(content.size())) == content.size());
    return *this;
}

TarBuilder &TarBuilder::zeros(const QByteArray &name, qint64 size)
{
    add(name, S_IFREG, 0644, size, QByteArray(), false);
    writeZeros(m_archive, size);
    return *this;
}

TarBuilder &TarBuilder::dir(const QByteArray &name, int mode)
{
    add(name, S_IFDIR, mode, 0, QByteArray(), false);
    return *this;
}

TarBuilder &TarBuilder::symlink(const QByteArray &name, const QByteArray &target)
{
    add(name, S_IFLNK, 0777, 0, target, false);
    return *this;
}

TarBuilder &TarBuilder::hardlink(const QByteArray &name, const QByteArray &target)
{
    add(name, S_IFREG, 0644, 0, target, true);
    return *this;
}

TarBuilder &TarBuilder::special(const QByteArray &name, unsigned fileType)
{
    add(name, fileType, 0644, 0, QByteArray(), false);
    return *this;
}

QByteArray TarBuilder::finish()
{
    REQUIRE(archive_write_close(m_archive) == ARCHIVE_OK);
    return m_data;
}

QByteArray TarBuilder::gzip(const QByteArray &data, qint64 zeroCount)
{
    QByteArray out;
    archive *a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_format_raw(a);
    archive_write_set_bytes_in_last_block(a, 1);
    REQUIRE(archive_write_open(a, &out, nullptr, appendTo, nullptr) == ARCHIVE_OK);
    archive_entry *entry = archive_entry_new();
    archive_entry_set_filetype(entry, S_IFREG);
    archive_entry_copy_pathname(entry, "data");
    REQUIRE(archive_write_header(a, entry) == ARCHIVE_OK);
    archive_entry_free(entry);
    if (!data.isEmpty()) {
        REQUIRE(archive_write_data(a, data.constData(), size_t(data.size())) == data.size());
    }
    writeZeros(a, zeroCount);
    REQUIRE(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
    return out;
}

} // namespace codalab::test
