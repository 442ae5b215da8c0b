// SPDX-License-Identifier: GPL-3.0-or-later
// RunFileReader: every read type and its errors, and write, over a temporary run directory.
#include "util/gzipcodec.h"
#include "util/safearchive.h"
#include "worker/runfilereader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QTemporaryDir>

#include <archive.h>
#include <archive_entry.h>
#include <catch2/catch.hpp>
#include <memory>
#include <sys/stat.h>

using codalab::worker::ReadAnswer;
using codalab::worker::RunFileReader;

namespace {

const QString Uuid = QStringLiteral("0x") + QString(32, QLatin1Char('a'));

void put(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    REQUIRE(f.write(data) == data.size());
}

QByteArray contentOf(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

/// A run directory `runs/<uuid>` with stdout, stderr, sub/inner.txt, .git/HEAD, a symlink to stdout, a
/// dependency link "dep" (hidden), a symlink "escape" to the directory above it and "secret.txt" out there.
struct RunDir
{
    QTemporaryDir root;
    QString run = root.filePath(QStringLiteral("runs/") + Uuid);
    QString temp = root.filePath(QStringLiteral("tmp"));
    QStringList hidden { QStringLiteral("dep") };

    RunDir()
    {
        REQUIRE(root.isValid());
        put(file("stdout"), "hello\nworld\n");
        put(file("stderr"), "");
        put(file("sub/inner.txt"), "inside\n");
        put(file(".git/HEAD"), "ref: refs/heads/main\n");
        put(root.filePath(QStringLiteral("secret.txt")), "not yours\n");
        REQUIRE(QFile::setPermissions(
            file("stdout"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup));
        REQUIRE(QFile::link(QStringLiteral("stdout"), file("link")));
        REQUIRE(QFile::link(QStringLiteral("/") + Uuid + QStringLiteral("_dependencies/dep"), file("dep")));
        REQUIRE(QFile::link(root.path(), file("escape")));
    }
    QString file(const char *name) const { return run + QLatin1Char('/') + QLatin1String(name); }
    ReadAnswer read(const QString &path, const QJsonObject &args) const
    {
        return RunFileReader::answer(run, Uuid, path, args, hidden, temp);
    }
};

QJsonObject args(const char *type, const QJsonObject &more = {})
{
    QJsonObject a = more;
    a.insert(QStringLiteral("type"), QLatin1String(type));
    return a;
}

QJsonObject infoArgs(int depth)
{
    return args("get_target_info", { { QStringLiteral("depth"), depth } });
}

QByteArray gunzip(const ReadAnswer &answer)
{
    REQUIRE(answer.isData);
    const auto plain = codalab::util::GzipCodec::decompress(contentOf(answer.dataFile), qint64(1) << 30);
    REQUIRE(plain.has_value());
    return *plain;
}

QStringList names(const QJsonObject &info)
{
    QStringList out;
    for (const QJsonValue &v : info[QLatin1String("contents")].toArray()) {
        out << v.toObject()[QLatin1String("name")].toString();
    }
    return out;
}

/// The members of a tar.gz: name → contents, or "-> target" for a symlink, "/" for a directory.
QMap<QString, QByteArray> members(const QString &path)
{
    std::unique_ptr<archive, int (*)(archive *)> a(archive_read_new(), archive_read_free);
    archive_read_support_filter_gzip(a.get());
    archive_read_support_format_tar(a.get());
    REQUIRE(archive_read_open_filename(a.get(), QFile::encodeName(path).constData(), 65536) == ARCHIVE_OK);
    QMap<QString, QByteArray> out;
    archive_entry *entry = nullptr;
    while (archive_read_next_header(a.get(), &entry) == ARCHIVE_OK) {
        const QString name = QString::fromUtf8(archive_entry_pathname(entry));
        if (archive_entry_filetype(entry) == AE_IFLNK) {
            out.insert(name, QByteArray("-> ") + archive_entry_symlink(entry));
        } else if (archive_entry_filetype(entry) == AE_IFDIR) {
            out.insert(name, "/");
        } else {
            QByteArray data(archive_entry_size(entry), '\0');
            archive_read_data(a.get(), data.data(), size_t(data.size()));
            out.insert(name, data);
        }
    }
    return out;
}

/// The bytes of the big test file, a pattern that differs at every offset within 26 bytes and every 64 KiB.
QByteArray pattern(qint64 offset, qint64 length)
{
    QByteArray out(length, Qt::Uninitialized);
    for (qint64 i = 0; i < length; ++i) {
        const qint64 at = offset + i;
        out[i] = char('a' + (at + (at >> 16)) % 26);
    }
    return out;
}

QString summary(const RunDir &d, const QString &path, int head, int tail, int maxLineLength)
{
    return QString::fromUtf8(gunzip(d.read(path,
        args("summarize_file",
            { { QStringLiteral("num_head_lines"), head }, { QStringLiteral("num_tail_lines"), tail },
                { QStringLiteral("max_line_length"), maxLineLength },
                { QStringLiteral("truncation_text"), QStringLiteral("[...]\n") } }))));
}

} // namespace

TEST_CASE("get_target_info describes the run directory without its dependency links", "[worker][readers]")
{
    RunDir d;
    ReadAnswer a = d.read(QString(), infoArgs(1));
    REQUIRE_FALSE(a.isData);
    INFO(QJsonDocument(a.json).toJson().toStdString());
    QJsonObject info = a.json[QLatin1String("target_info")].toObject();
    CHECK(info[QLatin1String("name")].toString() == Uuid);
    CHECK(info[QLatin1String("type")].toString() == QLatin1String("directory"));
    CHECK(info[QLatin1String("size")].toInteger() == 12 + 7 + 21); // regular files only, links not followed
    CHECK(names(info)
        == QStringList { QStringLiteral(".git"), QStringLiteral("escape"), QStringLiteral("link"),
            QStringLiteral("stderr"), QStringLiteral("stdout"), QStringLiteral("sub") });
    const QJsonObject resolved = info[QLatin1String("resolved_target")].toObject();
    CHECK(resolved[QLatin1String("bundle_uuid")].toString() == Uuid);
    CHECK(resolved[QLatin1String("subpath")].toString().isEmpty());
    for (const QJsonValue &v : info[QLatin1String("contents")].toArray()) {
        const QJsonObject entry = v.toObject();
        CHECK_FALSE(entry.contains(QLatin1String("contents"))); // depth 1
        if (entry[QLatin1String("name")].toString() == QLatin1String("link")) {
            CHECK(entry[QLatin1String("type")].toString() == QLatin1String("link"));
            CHECK(entry[QLatin1String("link")].toString() == QLatin1String("stdout"));
        } else if (entry[QLatin1String("name")].toString() == QLatin1String("stdout")) {
            CHECK(entry[QLatin1String("type")].toString() == QLatin1String("file"));
            CHECK(entry[QLatin1String("size")].toInteger() == 12);
            CHECK(entry[QLatin1String("perm")].toInt() == 0640);
        }
    }

    info = d.read(QString(), infoArgs(0)).json[QLatin1String("target_info")].toObject();
    CHECK(info[QLatin1String("type")].toString() == QLatin1String("directory"));
    CHECK_FALSE(info.contains(QLatin1String("contents")));

    info = d.read(QStringLiteral("sub/"), infoArgs(5)).json[QLatin1String("target_info")].toObject();
    CHECK(info[QLatin1String("name")].toString() == QLatin1String("sub"));
    CHECK(names(info) == QStringList { QStringLiteral("inner.txt") });
    CHECK(info[QLatin1String("resolved_target")].toObject()[QLatin1String("subpath")].toString()
        == QLatin1String("sub"));

    info
        = d.read(QStringLiteral("sub//inner.txt"), infoArgs(1)).json[QLatin1String("target_info")].toObject();
    CHECK(info[QLatin1String("type")].toString() == QLatin1String("file"));
    CHECK(info[QLatin1String("size")].toInteger() == 7);

    // A symlink is described, not followed, even one leading out of the run directory.
    info = d.read(QStringLiteral("escape"), infoArgs(1)).json[QLatin1String("target_info")].toObject();
    CHECK(info[QLatin1String("type")].toString() == QLatin1String("link"));
    CHECK(info[QLatin1String("link")].toString() == d.root.path());
    CHECK_FALSE(info.contains(QLatin1String("contents")));
}

TEST_CASE("paths that leave the run directory, go through a symlink or name a dependency are 404",
    "[worker][readers][errors]")
{
    RunDir d;
    const char *paths[] = { "../secret.txt", "sub/../../secret.txt", "/etc/passwd", "./stdout",
        "escape/secret.txt", "dep", "dep/file", "missing", "sub/missing", "stdout/x" };
    for (const char *path : paths) {
        for (const QJsonObject &a : { infoArgs(1), args("stream_file"), args("stream_directory") }) {
            INFO(path << " " << a[QLatin1String("type")].toString().toStdString());
            const ReadAnswer answer = d.read(QLatin1String(path), a);
            CHECK_FALSE(answer.isData);
            CHECK(answer.errorCode() == 404);
            CHECK_FALSE(answer.json[QLatin1String("error_message")].toString().isEmpty());
        }
    }
    CHECK(d.read(QStringLiteral("../secret.txt"), infoArgs(1)).json[QLatin1String("error_message")].toString()
        == Uuid + QStringLiteral("/../secret.txt is not inside the bundle."));
    CHECK(d.read(QStringLiteral("missing"), infoArgs(1)).json[QLatin1String("error_message")].toString()
        == QStringLiteral("Path 'missing' in bundle %1 not found").arg(Uuid));
    // Symlinks are never streamed.
    CHECK(d.read(QStringLiteral("link"), args("stream_file")).errorCode() == 404);
    CHECK(d.read(QStringLiteral("escape"), args("stream_directory")).errorCode() == 404);
    CHECK(QDir(d.temp).entryList(QDir::Files).isEmpty()); // nothing left behind by refused reads
}

TEST_CASE(
    "unknown read types, bad arguments and paths of the wrong kind are 400", "[worker][readers][errors]")
{
    RunDir d;
    const QJsonObject bad[] = { args("list_everything"), QJsonObject {}, args("get_target_info"),
        args("get_target_info", { { QStringLiteral("depth"), -1 } }),
        args("get_target_info", { { QStringLiteral("depth"), QStringLiteral("1") } }),
        args("read_file_section", { { QStringLiteral("offset"), 0 } }),
        args("read_file_section", { { QStringLiteral("offset"), -1 }, { QStringLiteral("length"), 4 } }),
        args("read_file_section", { { QStringLiteral("offset"), 0.5 }, { QStringLiteral("length"), 4 } }),
        args("summarize_file",
            { { QStringLiteral("num_head_lines"), 0 }, { QStringLiteral("num_tail_lines"), 0 },
                { QStringLiteral("max_line_length"), 128 },
                { QStringLiteral("truncation_text"), QString() } }),
        args("summarize_file",
            { { QStringLiteral("num_head_lines"), 1 }, { QStringLiteral("num_tail_lines"), 0 },
                { QStringLiteral("max_line_length"), 0 },
                { QStringLiteral("truncation_text"), QString() } }) };
    for (const QJsonObject &a : bad) {
        INFO(QJsonDocument(a).toJson().toStdString());
        CHECK(d.read(QStringLiteral("stdout"), a).errorCode() == 400);
    }
    CHECK(d.read(QStringLiteral("list_everything"), args("list_everything"))
              .json[QLatin1String("error_message")]
              .toString()
        == QLatin1String("Unsupported read_type for read: list_everything"));
    CHECK(d.read(QStringLiteral("sub"), args("stream_file")).errorCode() == 400);
    CHECK(d.read(QStringLiteral("stdout"), args("stream_directory")).errorCode() == 400);

    // A FIFO the run made is neither read nor waited on.
    REQUIRE(::mkfifo(QFile::encodeName(d.file("fifo")).constData(), 0644) == 0);
    CHECK(d.read(QStringLiteral("fifo"), args("stream_file")).errorCode() == 400);
    CHECK(d.read(QStringLiteral("fifo"), infoArgs(0))
              .json[QLatin1String("target_info")]
              .toObject()[QLatin1String("type")]
              .toString()
        == QLatin1String("file"));
}

TEST_CASE("stream_file and read_file_section gzip a 50 MB file in pieces", "[worker][readers][big]")
{
    RunDir d;
    constexpr qint64 size = 50 * 1024 * 1024 + 123;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    {
        QFile f(d.file("big.bin"));
        REQUIRE(f.open(QIODevice::WriteOnly));
        for (qint64 at = 0; at < size; at += 1 << 20) {
            const QByteArray chunk = pattern(at, qMin<qint64>(1 << 20, size - at));
            hash.addData(chunk);
            REQUIRE(f.write(chunk) == chunk.size());
        }
    }
    const ReadAnswer whole = d.read(QStringLiteral("big.bin"), args("stream_file"));
    REQUIRE(whole.isData);
    CHECK(whole.json.isEmpty()); // the header sent with the data
    CHECK(QFileInfo(whole.dataFile).absolutePath() == QFileInfo(d.temp).absoluteFilePath());
    CHECK(contentOf(whole.dataFile).startsWith("\x1f\x8b"));
    // Checked by decompressing to a file, so neither side holds the 50 MB at once.
    const QString plain = d.root.filePath(QStringLiteral("plain.bin"));
    const auto unpacked = codalab::util::SafeArchive::gunzipFile(whole.dataFile, plain);
    INFO(unpacked.error.toStdString());
    REQUIRE(unpacked.ok);
    CHECK(QFileInfo(plain).size() == size);
    QFile check(plain);
    REQUIRE(check.open(QIODevice::ReadOnly));
    QCryptographicHash got(QCryptographicHash::Sha256);
    REQUIRE(got.addData(&check));
    CHECK(got.result() == hash.result());

    const auto section = [&d](qint64 offset, qint64 length) {
        return gunzip(d.read(QStringLiteral("big.bin"),
            args("read_file_section",
                { { QStringLiteral("offset"), offset }, { QStringLiteral("length"), length } })));
    };
    CHECK(section(30 << 20, 1 << 20) == pattern(30 << 20, 1 << 20));
    CHECK(section(0, 4) == pattern(0, 4));
    CHECK(section(size - 10, 1000) == pattern(size - 10, 10)); // cut at the end
    CHECK(section(size, 10).isEmpty());
    CHECK(section(size + 1000, 10).isEmpty());
    CHECK(section(5, 0).isEmpty());
}

TEST_CASE("summarize_file keeps upstream's head and tail rules", "[worker][readers][summary]")
{
    RunDir d;
    put(d.file("five"), "1\n2\n3\n4\n5\n");
    put(d.file("open"), "a\nb");
    QByteArray lines;
    for (int i = 0; i < 1000; ++i) {
        lines += QByteArray::number(i).rightJustified(4, '0').prepend("line ") + '\n'; // 10 bytes a line
    }
    put(d.file("lines"), lines);
    put(d.file("long"), "short\n" + QByteArray(1000, 'x') + "\nend\n");
    put(d.file("utf8"), "h\xc3\xa9llo\n");
    put(d.file("binary"), QByteArray("\xff\xfe\x00\x01\n", 5));
    put(d.file("cut"), "ab\xc3");

    // Small files: whole, unless they have more lines than asked for.
    CHECK(summary(d, QStringLiteral("five"), 2, 1, 128) == QLatin1String("1\n2\n[...]\n5\n"));
    CHECK(summary(d, QStringLiteral("five"), 2, 0, 128) == QLatin1String("1\n2\n"));
    CHECK(summary(d, QStringLiteral("five"), 0, 2, 128) == QLatin1String("4\n5\n"));
    CHECK(summary(d, QStringLiteral("five"), 3, 2, 128) == QLatin1String("1\n2\n3\n4\n5\n"));
    CHECK(summary(d, QStringLiteral("open"), 2, 2, 128) == QLatin1String("a\nb\n")); // a newline to end it
    CHECK(summary(d, QStringLiteral("open"), 0, 1, 128) == QLatin1String("b\n"));
    CHECK(summary(d, QStringLiteral("stderr"), 1, 1, 128).isEmpty());
    // Big files: read near the ends only, whole lines.
    CHECK(summary(d, QStringLiteral("lines"), 3, 2, 20)
        == QLatin1String("line 0000\nline 0001\nline 0002\n[...]\nline 0998\nline 0999\n"));
    CHECK(summary(d, QStringLiteral("lines"), 0, 1, 20) == QLatin1String("line 0999\n"));
    CHECK(summary(d, QStringLiteral("lines"), 2, 0, 4) == QString()); // no whole line in 8 bytes
    CHECK(summary(d, QStringLiteral("long"), 2, 0, 10) == QLatin1String("short\n")); // the cut line dropped
    CHECK(summary(d, QStringLiteral("long"), 1, 1, 10) == QLatin1String("short\n[...]\nend\n"));
    CHECK(summary(d, QStringLiteral("utf8"), 1, 1, 128) == QStringLiteral("h\u00e9llo\n"));
    CHECK(summary(d, QStringLiteral("binary"), 1, 1, 128) == QLatin1String("<binary>"));
    CHECK(summary(d, QStringLiteral("cut"), 1, 1, 128) == QLatin1String("<binary>"));
}

TEST_CASE("stream_directory is a tar.gz without dependency links and upstream's ignored names",
    "[worker][readers][directory]")
{
    RunDir d;
    d.hidden << QStringLiteral("d*"); // a name, not a pattern: "data" stays
    put(d.file("data/x"), "x");
    put(d.file("sub/.git/config"), "[core]\n");
    put(d.file("sub/._mac"), "resource fork");
    ReadAnswer a = d.read(QString(), args("stream_directory"));
    REQUIRE(a.isData);
    QMap<QString, QByteArray> got = members(a.dataFile);
    CHECK(got.value(QStringLiteral("./stdout")) == "hello\nworld\n");
    CHECK(got.value(QStringLiteral("./sub/inner.txt")) == "inside\n");
    CHECK(got.value(QStringLiteral("./data/x")) == "x");
    CHECK(got.value(QStringLiteral("./link")) == "-> stdout");
    CHECK(got.value(QStringLiteral("./escape")) == "-> " + d.root.path().toUtf8()); // stored, not followed
    CHECK_FALSE(got.contains(QStringLiteral("./dep")));
    CHECK_FALSE(got.contains(QStringLiteral("./.git")));
    CHECK_FALSE(got.contains(QStringLiteral("./.git/HEAD")));
    CHECK_FALSE(got.contains(QStringLiteral("./sub/.git/config")));
    CHECK_FALSE(got.contains(QStringLiteral("./sub/._mac")));
    CHECK_FALSE(got.contains(QStringLiteral("./secret.txt")));

    a = d.read(QStringLiteral("sub"), args("stream_directory"));
    REQUIRE(a.isData);
    got = members(a.dataFile);
    CHECK(got.keys()
        == QStringList { QStringLiteral("./"), QStringLiteral("./inner.txt") }); // as tar czf names them
}

TEST_CASE("write creates and overwrites files and refuses links, escapes and dependencies",
    "[worker][readers][write]")
{
    RunDir d;
    QString error;
    CHECK(RunFileReader::write(d.run, QStringLiteral("notes.txt"), "first", d.hidden, &error));
    CHECK(contentOf(d.file("notes.txt")) == "first");
    CHECK(RunFileReader::write(d.run, QStringLiteral("sub/inner.txt"), "new", d.hidden, &error));
    CHECK(contentOf(d.file("sub/inner.txt")) == "new"); // overwritten, not appended
    CHECK(RunFileReader::write(d.run, QStringLiteral("notes.txt"), QByteArray(), d.hidden, &error));
    CHECK(contentOf(d.file("notes.txt")).isEmpty());

    const char *refused[] = { "link", "escape/secret.txt", "../secret.txt", "/tmp/x", "dep", "dep/x", "sub",
        "", "missing/x.txt" };
    for (const char *path : refused) {
        INFO(path);
        error.clear();
        CHECK_FALSE(RunFileReader::write(d.run, QLatin1String(path), "changed", d.hidden, &error));
        CHECK_FALSE(error.isEmpty());
    }
    CHECK(contentOf(d.file("stdout")) == "hello\nworld\n"); // not written through "link"
    CHECK(contentOf(d.root.filePath(QStringLiteral("secret.txt"))) == "not yours\n");
    CHECK_FALSE(QFileInfo::exists(d.file("missing")));
    CHECK(QFileInfo(d.file("dep")).isSymLink());
}
