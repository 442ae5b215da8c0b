// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/archivepathguard.h"

#include <catch2/catch.hpp>
#include <sys/stat.h>

using codalab::util::ArchivePathGuard;

namespace {

// Admits `path` and returns the error ("" when admitted).
QString refusal(ArchivePathGuard &guard, const QByteArray &path, unsigned type = S_IFREG,
    const QByteArray &symlinkTarget = {}, const QByteArray &hardLinkTarget = {})
{
    QString error;
    const auto member = guard.admit(path, type, symlinkTarget, hardLinkTarget, &error);
    CHECK(member.has_value() == error.isEmpty());
    return error;
}

} // namespace

TEST_CASE("member names are normalised and the root is the empty path", "[archive][guard]")
{
    ArchivePathGuard guard;
    QString error;
    CHECK(guard.admit("./a//b/./c/", S_IFDIR, {}, {}, &error)->path == "a/b/c");
    CHECK(guard.admit("./", S_IFDIR, {}, {}, &error)->path.isEmpty());
    CHECK(guard.admit(".", S_IFDIR, {}, {}, &error)->path.isEmpty());
    CHECK(guard.admit("file..name", S_IFREG, {}, {}, &error)->path == "file..name");
    CHECK(guard.admit("...", S_IFREG, {}, {}, &error)->path == "...");
    CHECK(error.isEmpty());
}

TEST_CASE(
    "absolute names, '..' components and a root that is not a directory are refused", "[archive][guard]")
{
    ArchivePathGuard guard;
    CHECK(refusal(guard, "/etc/passwd")
        == QLatin1String("Unsafe archive member \"/etc/passwd\": absolute path"));
    CHECK(refusal(guard, "//x").contains(QLatin1String("absolute path")));
    CHECK(refusal(guard, "..").contains(QLatin1String("\"..\" component")));
    CHECK(refusal(guard, "../evil").contains(QLatin1String("\"../evil\"")));
    CHECK(refusal(guard, "a/../../evil").contains(QLatin1String("\"a/../../evil\"")));
    CHECK(refusal(guard, "a/b/..").contains(QLatin1String("\"..\" component")));
    CHECK(refusal(guard, "a/../b", S_IFDIR)
              .contains(QLatin1String("\"..\" component"))); // even when it stays in
    CHECK(refusal(guard, "").contains(QLatin1String("empty name")));
    CHECK(refusal(guard, "./", S_IFREG).contains(QLatin1String("root must be a directory")));
    CHECK(refusal(guard, ".", S_IFLNK, "/").contains(QLatin1String("root must be a directory")));
}

TEST_CASE("devices, FIFOs and sockets are refused by kind", "[archive][guard]")
{
    ArchivePathGuard guard;
    CHECK(refusal(guard, "dev/null", S_IFCHR).contains(QLatin1String("\"dev/null\": is a character device")));
    CHECK(refusal(guard, "sda", S_IFBLK).contains(QLatin1String("is a block device")));
    CHECK(refusal(guard, "pipe", S_IFIFO).contains(QLatin1String("is a FIFO")));
    CHECK(refusal(guard, "sock", S_IFSOCK).contains(QLatin1String("is a socket")));
    CHECK(refusal(guard, "odd", 0).contains(QLatin1String("of unknown type 0")));
}

TEST_CASE("symlinks may point anywhere inside the target, nowhere else", "[archive][guard]")
{
    ArchivePathGuard guard;
    CHECK(refusal(guard, "b", S_IFLNK, "a/file").isEmpty());
    CHECK(refusal(guard, "self", S_IFLNK, ".").isEmpty());
    CHECK(refusal(guard, "a/up", S_IFLNK, "..").isEmpty()); // the target directory itself
    CHECK(refusal(guard, "a/b/c", S_IFLNK, "../../x/./y").isEmpty());
    CHECK(refusal(guard, "a/dangling", S_IFLNK, "not/there/yet").isEmpty());

    CHECK(refusal(guard, "link", S_IFLNK, "/etc")
        == QLatin1String("Unsafe archive member \"link\": symlink to the absolute path \"/etc\""));
    CHECK(refusal(guard, "up", S_IFLNK, "..")
              .contains(QLatin1String("\"up\": symlink to \"..\" points outside")));
    CHECK(refusal(guard, "a/up2", S_IFLNK, "../..").contains(QLatin1String("points outside")));
    CHECK(refusal(guard, "a/b/c", S_IFLNK, "../../../x").contains(QLatin1String("points outside")));
    // ".." after a name is not resolved by text: "x" may itself be a link (x -> . makes x/.. the parent).
    CHECK(refusal(guard, "y", S_IFLNK, "x/..").contains(QLatin1String("\"..\" after a name")));
    CHECK(refusal(guard, "a/y", S_IFLNK, "b/../c").contains(QLatin1String("\"..\" after a name")));
    CHECK(refusal(guard, "empty", S_IFLNK, "").contains(QLatin1String("empty target")));
}

TEST_CASE("hard links may only point at a regular file extracted before them", "[archive][guard]")
{
    ArchivePathGuard guard;
    CHECK(refusal(guard, "a/file").isEmpty());
    QString error;
    const auto link = guard.admit("h", S_IFREG, {}, "./a//file", &error);
    REQUIRE(link);
    CHECK(link->hardLinkTarget == "a/file");
    CHECK(refusal(guard, "h2", S_IFREG, {}, "h").isEmpty()); // a link to a link is a link to the file

    CHECK(refusal(guard, "x", S_IFREG, {}, "../../x")
              .contains(QLatin1String("\"x\": hard link to \"../../x\" points outside")));
    CHECK(refusal(guard, "x", S_IFREG, {}, "/etc/passwd").contains(QLatin1String("points outside")));
    CHECK(refusal(guard, "x", S_IFREG, {}, "later")
              .contains(QLatin1String("not a regular file extracted before")));
    CHECK(refusal(guard, "x", S_IFREG, {}, "x").contains(QLatin1String("not a regular file")));
    CHECK(refusal(guard, "d", S_IFDIR).isEmpty());
    CHECK(refusal(guard, "x", S_IFREG, {}, "d").contains(QLatin1String("not a regular file")));
    // A hard link to a symlink would carry its relative target to another directory: "d/s -> .." is the
    // target directory, but the same link at the top would be its parent.
    CHECK(refusal(guard, "d/s", S_IFLNK, "..").isEmpty());
    CHECK(refusal(guard, "evil", S_IFREG, {}, "d/s").contains(QLatin1String("not a regular file")));
}

TEST_CASE("a path replaced by another kind of member stops being a hard link target", "[archive][guard]")
{
    ArchivePathGuard guard;
    CHECK(refusal(guard, "f").isEmpty());
    CHECK(refusal(guard, "f", S_IFLNK, "other").isEmpty()); // a later member replaces the file
    CHECK(refusal(guard, "h", S_IFREG, {}, "f").contains(QLatin1String("not a regular file")));
    CHECK(refusal(guard, "g").isEmpty());
    CHECK(refusal(guard, "g/inner").isEmpty()); // g had to become a directory for this
    CHECK(refusal(guard, "h", S_IFREG, {}, "g").contains(QLatin1String("not a regular file")));
    CHECK(refusal(guard, "h", S_IFREG, {}, "g/inner").isEmpty());
}
