// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile archives: each is refused naming its member, and nothing of it is left anywhere.
#include "util/extractsandbox.h"
#include "util/safearchive.h"
#include "util/tarbuilder.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QFile>

#include <catch2/catch.hpp>
#include <sys/stat.h>

using codalab::test::extractBytes;
using codalab::test::ExtractSandbox;
using codalab::test::TarBuilder;
using codalab::util::ArchiveLimits;
using codalab::util::ArchiveResult;
using codalab::util::SafeArchive;

namespace {

// A benign start, so a refusal has something half-extracted to clean up, a read-only directory included.
TarBuilder &benign(TarBuilder &tar)
{
    return tar.dir("./")
        .file("ok.txt", "fine\n")
        .dir("sub")
        .file("sub/inner.txt", "fine too\n")
        .dir("locked", 0500)
        .file("locked/inside.txt", "in a read-only directory\n", 0400);
}

void requireRefused(const ArchiveResult &result, const ExtractSandbox &box, const QString &member)
{
    INFO(result.error.toStdString());
    CHECK_FALSE(result.ok);
    CHECK(result.error.contains(QLatin1Char('"') + member + QLatin1Char('"')));
    // No target, no staging directory, nothing that climbed out of either.
    CHECK(box.contents() == ExtractSandbox::untouched());
}

// 200 MiB of zeros in a few hundred KiB of tar.gz, built once.
const QByteArray &gzipBomb()
{
    static const QByteArray bomb = [] {
        TarBuilder tar;
        benign(tar).zeros("zeros.bin", qint64(200) << 20);
        return tar.finish();
    }();
    return bomb;
}

} // namespace

TEST_CASE("members with '..' or absolute names are refused", "[archive][refuse]")
{
    for (const QByteArray &name : { QByteArray("../evil"), QByteArray("/abs/evil"),
             QByteArray("a/../../evil"), QByteArray("sub/../../../evil"), QByteArray("./../evil") }) {
        INFO(name.constData());
        ExtractSandbox box;
        TarBuilder tar;
        benign(tar).file(name, "gotcha\n");
        requireRefused(extractBytes(tar.finish(), box.target()), box, QString::fromUtf8(name));
        CHECK_FALSE(QFile::exists(QStringLiteral("/abs/evil")));
    }
}

TEST_CASE(
    "a symlink to an absolute path is refused before anything is written through it", "[archive][refuse]")
{
    ExtractSandbox box;
    TarBuilder tar;
    benign(tar).symlink("link", "/etc").file("link/passwd", "root::0:0::/:/bin/sh\n");
    const ArchiveResult result = extractBytes(tar.finish(), box.target());
    requireRefused(result, box, QStringLiteral("link"));
    CHECK(result.error.contains(QLatin1String("absolute path \"/etc\"")));
}

TEST_CASE("symlinks that climb out of the target are refused", "[archive][refuse]")
{
    const QList<QPair<QByteArray, QByteArray>> links
        = { { "up", ".." }, { "sub/up2", "../.." }, { "sub/deep", "../../q/out" }, { "y", "sub/../.." } };
    for (const auto &[name, target] : links) {
        INFO(name.constData());
        ExtractSandbox box;
        TarBuilder tar;
        benign(tar).symlink(name, target).file("after.txt", "x");
        requireRefused(extractBytes(tar.finish(), box.target()), box, QString::fromUtf8(name));
    }
}

TEST_CASE("a symlink climbing through another symlink is refused", "[archive][refuse]")
{
    // x -> . is harmless, but then x/.. is the target's parent: ".." after a name is never trusted.
    ExtractSandbox box;
    TarBuilder tar;
    benign(tar).symlink("x", ".").symlink("y", "x/..").file("y/evil", "x");
    requireRefused(extractBytes(tar.finish(), box.target()), box, QStringLiteral("y"));
}

TEST_CASE("nothing is written through a symlink, even one pointing inside", "[archive][refuse]")
{
    // libarchive's ARCHIVE_EXTRACT_SECURE_SYMLINKS refuses this one.
    ExtractSandbox box;
    TarBuilder tar;
    benign(tar).symlink("d", "sub").file("d/x", "through the link");
    const ArchiveResult result = extractBytes(tar.finish(), box.target());
    requireRefused(result, box, QStringLiteral("d/x"));
    CHECK(result.error.contains(QLatin1String("symlink")));
}

TEST_CASE("hard links outside the target or to anything but an earlier file are refused", "[archive][refuse]")
{
    struct Case
    {
        QByteArray name, target;
    };
    for (const Case &c : { Case { "h1", "../../x" }, Case { "h2", "/etc/passwd" },
             Case { "h3", "sub/../../x" }, Case { "h4", "missing.txt" }, Case { "h5", "sub" } }) {
        INFO(c.name.constData());
        ExtractSandbox box;
        TarBuilder tar;
        benign(tar).hardlink(c.name, c.target);
        requireRefused(extractBytes(tar.finish(), box.target()), box, QString::fromUtf8(c.name));
    }
    // A hard link to an inside symlink would move its relative target: sub/s -> .. is the target
    // directory, a copy of it at the top would be the parent.
    ExtractSandbox box;
    TarBuilder tar;
    benign(tar).symlink("sub/s", "..").hardlink("top", "sub/s");
    requireRefused(extractBytes(tar.finish(), box.target()), box, QStringLiteral("top"));
}

TEST_CASE("device nodes and FIFOs are refused", "[archive][refuse]")
{
    const QList<QPair<QByteArray, unsigned>> specials
        = { { "dev/null", S_IFCHR }, { "disk", S_IFBLK }, { "fifo", S_IFIFO } };
    for (const auto &[name, type] : specials) {
        INFO(name.constData());
        ExtractSandbox box;
        TarBuilder tar;
        benign(tar).special(name, type);
        requireRefused(extractBytes(tar.finish(), box.target()), box, QString::fromUtf8(name));
    }
}

TEST_CASE("a gzip bomb stops at maxBytes, early", "[archive][refuse][limits]")
{
    ExtractSandbox box;
    ArchiveLimits limits;
    limits.maxBytes = 10 << 20;
    QElapsedTimer timer;
    timer.start();
    const ArchiveResult result = extractBytes(gzipBomb(), box.target(), limits);
    requireRefused(result, box, QStringLiteral("zeros.bin"));
    CHECK(result.error.contains(QLatin1String("limit of 10m (10485760 bytes)")));
    CHECK(result.bytesWritten < limits.maxBytes);
    CHECK(timer.elapsed() < 5000); // it did not inflate 200 MiB first
}

TEST_CASE("the expansion ratio is bounded", "[archive][refuse][limits]")
{
    ExtractSandbox box;
    ArchiveLimits limits;
    limits.maxRatio = 100;
    const ArchiveResult result = extractBytes(gzipBomb(), box.target(), limits);
    requireRefused(result, box, QStringLiteral("zeros.bin"));
    CHECK(result.error.contains(QLatin1String("more than 100 times its compressed size")));

    // An uncompressed tar expands 1:1 and passes any ratio above 1.
    ExtractSandbox plainBox;
    TarBuilder plain(TarBuilder::Compression::None);
    plain.zeros("two-mib", 2 << 20);
    limits.maxRatio = 1.5;
    CHECK(extractBytes(plain.finish(), plainBox.target(), limits).ok);
}

TEST_CASE("the total of several members is bounded, and so is their number", "[archive][refuse][limits]")
{
    ExtractSandbox box;
    TarBuilder tar;
    tar.zeros("a", 4 << 20).zeros("b", 4 << 20).zeros("c", 4 << 20);
    ArchiveLimits limits;
    limits.maxBytes = 10 << 20;
    requireRefused(extractBytes(tar.finish(), box.target(), limits), box, QStringLiteral("c"));

    ExtractSandbox many;
    TarBuilder files;
    for (int i = 0; i < 6; ++i) {
        files.file(QByteArray::number(i), "x");
    }
    limits.maxEntries = 5;
    const ArchiveResult result = extractBytes(files.finish(), many.target(), limits);
    requireRefused(result, many, QStringLiteral("5"));
    CHECK(result.error.contains(QLatin1String("more than 5 members")));
    CHECK(result.entries == 6);
}

TEST_CASE("a truncated or corrupt archive leaves nothing behind", "[archive][refuse]")
{
    TarBuilder tar;
    benign(tar).zeros("big", 1 << 20).file("last.txt", "last");
    const QByteArray whole = tar.finish();
    ExtractSandbox box;
    const ArchiveResult cut = extractBytes(whole.left(whole.size() / 2), box.target());
    CHECK_FALSE(cut.ok);
    CHECK_FALSE(cut.error.isEmpty());
    CHECK(box.contents() == ExtractSandbox::untouched());

    ExtractSandbox garbage;
    const ArchiveResult notTar = extractBytes(QByteArray(4096, 'x'), garbage.target());
    CHECK_FALSE(notTar.ok);
    CHECK(notTar.error.startsWith(QLatin1String("Cannot read the archive")));
    CHECK(garbage.contents() == ExtractSandbox::untouched());
}

TEST_CASE("a target that holds something is never extracted into", "[archive][refuse]")
{
    ExtractSandbox box;
    QFile existing(box.target() + QStringLiteral("/keep.txt"));
    REQUIRE(QDir().mkpath(box.target()));
    REQUIRE(existing.open(QIODevice::WriteOnly));
    existing.write("mine");
    existing.close();
    TarBuilder tar;
    benign(tar);
    const ArchiveResult result = extractBytes(tar.finish(), box.target());
    CHECK_FALSE(result.ok);
    CHECK(result.error.contains(QLatin1String("not an empty directory")));
    CHECK(box.contents()
        == QStringList({ QStringLiteral("p"), QStringLiteral("p/q"), QStringLiteral("p/q/out"),
            QStringLiteral("p/q/out/keep.txt") }));

    // A symlink where the target should be is not followed.
    ExtractSandbox linked;
    REQUIRE(QFile::link(linked.root(), linked.target()));
    TarBuilder again;
    benign(again);
    CHECK_FALSE(extractBytes(again.finish(), linked.target()).ok);
    CHECK(linked.contents()
        == QStringList({ QStringLiteral("p"), QStringLiteral("p/q"), QStringLiteral("p/q/out") }));
}
