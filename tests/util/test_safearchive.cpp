// SPDX-License-Identifier: GPL-3.0-or-later
// Archives that should go through: extraction keeps what it should, create() writes what tar would.
#include "util/extractsandbox.h"
#include "util/safearchive.h"
#include "util/tarbuilder.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <catch2/catch.hpp>
#include <sys/stat.h>

using codalab::test::extractBytes;
using codalab::test::ExtractSandbox;
using codalab::test::TarBuilder;
using codalab::util::ArchiveLimits;
using codalab::util::ArchiveResult;
using codalab::util::SafeArchive;

namespace {

mode_t modeOf(const QString &path)
{
    struct stat st;
    REQUIRE(::lstat(QFile::encodeName(path).constData(), &st) == 0);
    return st.st_mode;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return file.readAll();
}

void writeFile(const QString &path, const QByteArray &content, QFile::Permissions extra = {})
{
    REQUIRE(QDir().mkpath(QFileInfo(path).path()));
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    REQUIRE(file.write(content) == content.size());
    file.close();
    if (extra) {
        REQUIRE(file.setPermissions(file.permissions() | extra));
    }
}

} // namespace

TEST_CASE("a good archive extracts with its modes, links and times, setuid stripped", "[archive]")
{
    ExtractSandbox box;
    TarBuilder tar;
    tar.dir("./", 0750)
        .dir("a")
        .dir("a/b/c", 0700)
        .file("a/b/c/data.txt", "deep\n")
        .file("a/file", "the file\n")
        .file("run.sh", "#!/bin/sh\necho hi\n", 0755)
        .file("setuid", "x", 04755)
        .file("setgid", "x", 02750)
        .file("readonly.txt", "ro", 0444)
        .symlink("b", "a/file")
        .symlink("a/up", "../run.sh")
        .symlink("a/dangling", "not/there")
        .hardlink("h", "a/file")
        .file("implicit/parent/file.txt", "parents made on the way")
        .dir("locked", 0500)
        .file("locked/inside.txt", "x", 0400);
    const ArchiveResult result = extractBytes(tar.finish(), box.target());
    INFO(result.error.toStdString());
    REQUIRE(result.ok);
    CHECK(result.error.isEmpty());
    CHECK(result.entries == 16);
    CHECK(result.bytesWritten == 5 + 9 + 18 + 1 + 1 + 2 + 23 + 1);

    const QString out = box.target();
    CHECK(readAll(out + QStringLiteral("/a/b/c/data.txt")) == "deep\n");
    CHECK((modeOf(out) & 07777) == 0750);
    CHECK((modeOf(out + QStringLiteral("/a/b/c")) & 07777) == 0700);
    CHECK((modeOf(out + QStringLiteral("/run.sh")) & 07777) == 0755);
    CHECK((modeOf(out + QStringLiteral("/setuid")) & 07777) == 0755);
    CHECK((modeOf(out + QStringLiteral("/setgid")) & 07777) == 0750);
    CHECK((modeOf(out + QStringLiteral("/readonly.txt")) & 07777) == 0444);
    CHECK(QFileInfo(out + QStringLiteral("/run.sh")).lastModified().toSecsSinceEpoch() == 1700000000);

    CHECK(S_ISLNK(modeOf(out + QStringLiteral("/b"))));
    CHECK(QFile::symLinkTarget(out + QStringLiteral("/b")) == out + QStringLiteral("/a/file"));
    CHECK(readAll(out + QStringLiteral("/b")) == "the file\n");
    CHECK(readAll(out + QStringLiteral("/a/up")).startsWith("#!/bin/sh"));
    CHECK(S_ISLNK(modeOf(out + QStringLiteral("/a/dangling"))));

    struct stat file, link;
    REQUIRE(::stat(QFile::encodeName(out + QStringLiteral("/a/file")).constData(), &file) == 0);
    REQUIRE(::stat(QFile::encodeName(out + QStringLiteral("/h")).constData(), &link) == 0);
    CHECK(file.st_ino == link.st_ino);
    CHECK(file.st_nlink == 2);
    CHECK(readAll(out + QStringLiteral("/implicit/parent/file.txt")) == "parents made on the way");
    // A read-only directory gets its mode after its contents were written.
    CHECK((modeOf(out + QStringLiteral("/locked")) & 07777) == 0500);
    CHECK(readAll(out + QStringLiteral("/locked/inside.txt")) == "x");

    // The staging directory became the target: nothing else is left next to it.
    CHECK(QDir(box.parent()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot)
        == QStringList { QStringLiteral("out") });
}

TEST_CASE("an empty target directory is replaced, compressions and the root's default mode", "[archive]")
{
    ExtractSandbox box;
    REQUIRE(QDir().mkpath(box.target()));
    for (const auto compression : { TarBuilder::Compression::None, TarBuilder::Compression::Xz }) {
        const QString target
            = box.target() + (compression == TarBuilder::Compression::Xz ? QStringLiteral("-xz") : QString());
        TarBuilder tar(compression);
        tar.file("only.txt", "one");
        const ArchiveResult result = extractBytes(
            tar.finish(), compression == TarBuilder::Compression::None ? box.target() : target);
        INFO(result.error.toStdString());
        CHECK(result.ok);
    }
    CHECK(readAll(box.target() + QStringLiteral("/only.txt")) == "one");
    CHECK(readAll(box.target() + QStringLiteral("-xz/only.txt")) == "one");
    // No "./" member: the root gets 0777 less the umask, as mkdir would have made it.
    const mode_t mask = ::umask(022);
    ::umask(mask);
    CHECK((modeOf(box.target()) & 07777) == (0777 & ~mask));

    ExtractSandbox emptyBox;
    const ArchiveResult empty = extractBytes(QByteArray(), emptyBox.target());
    CHECK(empty.ok);
    CHECK(empty.entries == 0);
    CHECK(QFileInfo(emptyBox.target()).isDir());
}

TEST_CASE("extracting from a file path, and the parent is created", "[archive]")
{
    QTemporaryDir dir;
    TarBuilder tar;
    tar.file("x/y.txt", "why");
    const QString archivePath = dir.filePath(QStringLiteral("a.tar.gz"));
    {
        QFile file(archivePath);
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write(tar.finish());
    }
    const QString target = dir.filePath(QStringLiteral("new/parents/target"));
    const ArchiveResult result = SafeArchive::extract(archivePath, target);
    REQUIRE(result.ok);
    CHECK(readAll(target + QStringLiteral("/x/y.txt")) == "why");
    CHECK_FALSE(
        SafeArchive::extract(dir.filePath(QStringLiteral("missing.tar.gz")), target + QLatin1Char('2')).ok);
}

TEST_CASE("exclude patterns match as GNU tar's --exclude does", "[archive][exclude]")
{
    const auto excluded = [](const char *path, const QStringList &patterns) {
        return SafeArchive::isExcluded(QString::fromUtf8(path), patterns);
    };
    const QStringList pyc { QStringLiteral("*.pyc") };
    CHECK(excluded("x.pyc", pyc));
    CHECK(excluded("deep/er/y.pyc", pyc));
    CHECK_FALSE(excluded("x.pyc.txt", pyc));
    CHECK_FALSE(excluded("pyc", pyc));
    const QStringList cache { QStringLiteral("cache") };
    CHECK(excluded("cache", cache));
    CHECK(excluded("a/b/cache", cache));
    CHECK(excluded("cache/inside", cache)); // inside an excluded directory
    CHECK_FALSE(excluded("cached", cache));
    CHECK_FALSE(excluded("a/mycache", cache));
    CHECK(excluded("x/sub/a.py", { QStringLiteral("sub/*.py") }));
    CHECK(excluded("keep.txt", { QStringLiteral("./keep.txt") }));
    CHECK_FALSE(excluded("a/keep.txt", { QStringLiteral("./keep.txt") }));
    CHECK(excluded("a/log7", { QStringLiteral("log[0-9]") }));
    CHECK_FALSE(excluded("anything", {}));
    CHECK_FALSE(excluded("anything", { QString() }));
}

TEST_CASE("create then extract round-trips a tree, without what the patterns exclude", "[archive][create]")
{
    QTemporaryDir source;
    const auto at = [&](const char *rel) { return source.filePath(QString::fromUtf8(rel)); };
    writeFile(at("keep.txt"), "keep\n");
    writeFile(at("x.pyc"), "bytecode");
    writeFile(at("sub/y.pyc"), "bytecode");
    writeFile(at("sub/code.py"), "print(1)\n");
    writeFile(at("sub/cache"), "a file called cache");
    writeFile(at("cache/big.bin"), QByteArray(100000, 'c'));
    writeFile(at("run.sh"), "#!/bin/sh\n", QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther);
    writeFile(at("deep/a/b/c/d.txt"), "deep");
    REQUIRE(QDir().mkpath(at("empty")));
    REQUIRE(QFile::link(QStringLiteral("keep.txt"), at("link")));
    REQUIRE(QFile::link(QStringLiteral("nowhere"), at("dangling")));
    REQUIRE(::mkfifo(QFile::encodeName(at("fifo")).constData(), 0600) == 0);

    QBuffer archive;
    REQUIRE(archive.open(QIODevice::WriteOnly));
    const QStringList excludes { QStringLiteral("*.pyc"), QStringLiteral("cache") };
    const ArchiveResult created = SafeArchive::create(source.path(), &archive, excludes);
    INFO(created.error.toStdString());
    REQUIRE(created.ok);
    CHECK(created.bytesWritten == archive.data().size());
    // ., keep.txt, sub, sub/code.py, run.sh, deep, deep/a, deep/a/b, deep/a/b/c, d.txt, empty, link, dangling
    CHECK(created.entries == 13);

    ExtractSandbox box;
    const ArchiveResult extracted = extractBytes(archive.data(), box.target());
    INFO(extracted.error.toStdString());
    REQUIRE(extracted.ok);
    CHECK(extracted.entries == 13);
    QStringList names;
    for (const QString &path : box.contents()) {
        if (path.startsWith(QLatin1String("p/q/out/"))) {
            names.append(path.mid(8));
        }
    }
    CHECK(names
        == QStringList({ QStringLiteral("dangling"), QStringLiteral("deep"), QStringLiteral("deep/a"),
            QStringLiteral("deep/a/b"), QStringLiteral("deep/a/b/c"), QStringLiteral("deep/a/b/c/d.txt"),
            QStringLiteral("empty"), QStringLiteral("keep.txt"), QStringLiteral("link"),
            QStringLiteral("run.sh"), QStringLiteral("sub"), QStringLiteral("sub/code.py") }));
    const QString out = box.target();
    CHECK(readAll(out + QStringLiteral("/keep.txt")) == "keep\n");
    CHECK(readAll(out + QStringLiteral("/deep/a/b/c/d.txt")) == "deep");
    CHECK((modeOf(out + QStringLiteral("/run.sh")) & 0111) == 0111);
    CHECK((modeOf(out) & 07777) == (modeOf(source.path()) & 07777));
    CHECK(QFile::symLinkTarget(out + QStringLiteral("/link")) == out + QStringLiteral("/keep.txt"));
    CHECK(S_ISLNK(modeOf(out + QStringLiteral("/dangling"))));
}

TEST_CASE("create writes an archive GNU tar reads, with tar's member names", "[archive][create]")
{
    const QString tar = QStandardPaths::findExecutable(QStringLiteral("tar"));
    if (tar.isEmpty()) {
        WARN("tar is not installed: skipped");
        return;
    }
    QTemporaryDir source;
    writeFile(source.filePath(QStringLiteral("a.txt")), "a");
    writeFile(source.filePath(QStringLiteral("dir/b.txt")), "b");
    writeFile(source.filePath(QStringLiteral("dir/skip.pyc")), "b");
    QTemporaryDir out;
    const QString path = out.filePath(QStringLiteral("bundle.tar.gz"));
    const ArchiveResult result = SafeArchive::create(source.path(), path, { QStringLiteral("*.pyc") });
    REQUIRE(result.ok);
    CHECK(QFileInfo(path).size() == result.bytesWritten);
    QProcess list;
    list.start(tar, { QStringLiteral("-tzf"), path });
    REQUIRE(list.waitForFinished(30000));
    CHECK(list.exitCode() == 0);
    CHECK(QString::fromUtf8(list.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts)
        == QStringList({ QStringLiteral("./"), QStringLiteral("./a.txt"), QStringLiteral("./dir/"),
            QStringLiteral("./dir/b.txt") }));

    // The file version leaves nothing when it fails.
    CHECK_FALSE(SafeArchive::create(
        source.filePath(QStringLiteral("missing")), out.filePath(QStringLiteral("x.tar.gz")))
                    .ok);
    CHECK_FALSE(QFile::exists(out.filePath(QStringLiteral("x.tar.gz"))));
}

TEST_CASE("create fails on an unreadable file rather than leave it out", "[archive][create]")
{
    if (::geteuid() == 0) {
        WARN("running as root, which reads anything: skipped");
        return;
    }
    QTemporaryDir source;
    writeFile(source.filePath(QStringLiteral("secret")), "s");
    REQUIRE(QFile::setPermissions(source.filePath(QStringLiteral("secret")), QFile::WriteOwner));
    QBuffer archive;
    REQUIRE(archive.open(QIODevice::WriteOnly));
    const ArchiveResult result = SafeArchive::create(source.path(), &archive);
    CHECK_FALSE(result.ok);
    CHECK(result.error.contains(QLatin1String("\"./secret\"")));
}

TEST_CASE("gunzipFile writes the stream's content and only that", "[archive][gunzip]")
{
    QTemporaryDir dir;
    const QByteArray content = QByteArray("hello gzip\n").repeated(1000);
    const QString gz = dir.filePath(QStringLiteral("in.gz"));
    {
        QFile file(gz);
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write(TarBuilder::gzip(content));
    }
    const QString target = dir.filePath(QStringLiteral("made/on/the/way/out.txt"));
    const ArchiveResult result = SafeArchive::gunzipFile(gz, target);
    INFO(result.error.toStdString());
    REQUIRE(result.ok);
    CHECK(result.bytesWritten == content.size());
    CHECK(result.entries == 1);
    CHECK(readAll(target) == content);

    // Replacing an existing file is fine.
    QBuffer again;
    again.setData(TarBuilder::gzip("second"));
    REQUIRE(again.open(QIODevice::ReadOnly));
    REQUIRE(SafeArchive::gunzipFile(&again, target).ok);
    CHECK(readAll(target) == "second");
}

TEST_CASE(
    "gunzipFile refuses what is not gzip, a bomb, a cut stream and a symlink target", "[archive][gunzip]")
{
    QTemporaryDir dir;
    const auto gunzip = [&](const QByteArray &data, const QString &name, const ArchiveLimits &limits = {}) {
        QBuffer buffer;
        buffer.setData(data);
        REQUIRE(buffer.open(QIODevice::ReadOnly));
        return SafeArchive::gunzipFile(&buffer, dir.filePath(name), limits);
    };
    const auto leftovers = [&] {
        return QDir(dir.path())
            .entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    };

    const ArchiveResult plain = gunzip("just text, not gzip", QStringLiteral("plain"));
    CHECK_FALSE(plain.ok);
    CHECK(plain.error.contains(QLatin1String("not gzip")));

    ArchiveLimits limits;
    limits.maxBytes = 1 << 20;
    const ArchiveResult bomb
        = gunzip(TarBuilder::gzip(QByteArray(), qint64(64) << 20), QStringLiteral("bomb.bin"), limits);
    CHECK_FALSE(bomb.ok);
    CHECK(bomb.error.contains(QLatin1String("\"bomb.bin\": expands past the limit of 1m")));
    limits = ArchiveLimits();
    limits.maxRatio = 50;
    const ArchiveResult ratio
        = gunzip(TarBuilder::gzip(QByteArray(), qint64(64) << 20), QStringLiteral("ratio.bin"), limits);
    CHECK_FALSE(ratio.ok);
    CHECK(ratio.error.contains(QLatin1String("more than 50 times")));

    const QByteArray whole = TarBuilder::gzip(QByteArray("abc").repeated(100000));
    const ArchiveResult cut = gunzip(whole.left(whole.size() - 20), QStringLiteral("cut"));
    CHECK_FALSE(cut.ok);
    CHECK(leftovers().isEmpty()); // no target, no temporary file

    writeFile(dir.filePath(QStringLiteral("victim")), "untouched");
    REQUIRE(QFile::link(dir.filePath(QStringLiteral("victim")), dir.filePath(QStringLiteral("link"))));
    const ArchiveResult throughLink = gunzip(TarBuilder::gzip("new"), QStringLiteral("link"));
    CHECK_FALSE(throughLink.ok);
    CHECK(throughLink.error.contains(QLatin1String("not a regular file")));
    CHECK(readAll(dir.filePath(QStringLiteral("victim"))) == "untouched");
}
