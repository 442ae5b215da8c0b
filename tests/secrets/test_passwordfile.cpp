// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/credentials.h"
#include "secrets/passwordfile.h"

#include <QFile>
#include <QTemporaryDir>

#include <catch2/catch.hpp>
#include <sys/stat.h>

using namespace codalab::secrets;

namespace {

QString writeFile(const QTemporaryDir &dir, const QByteArray &content, mode_t mode, const QString &name = {})
{
    const QString path = dir.filePath(name.isEmpty() ? QStringLiteral("password") : name);
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    REQUIRE(file.write(content) == content.size());
    file.close();
    // chmod(2) itself: the exact bits matter here, and the umask must not interfere.
    REQUIRE(::chmod(QFile::encodeName(path).constData(), mode) == 0);
    return path;
}

} // namespace

TEST_CASE("a 0600 password file gives the user name and the stripped password", "[passwordfile]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    for (const QByteArray &content : { QByteArrayLiteral("alice\ns3cret pw\n"),
             QByteArrayLiteral("alice\ns3cret pw"), QByteArrayLiteral("  alice \r\n\ts3cret pw  \r\n"),
             QByteArrayLiteral("alice\ns3cret pw\nextra line\n") }) {
        const QString path = writeFile(dir, content, 0600);
        PasswordFile file(path);
        INFO(content.toStdString());
        REQUIRE(file.load());
        CHECK(file.error() == PasswordFile::Error::None);
        CHECK(file.errorString().isEmpty());
        CHECK(file.credentials().username.toStdString() == "alice");
        CHECK(file.credentials().password.toStdString() == "s3cret pw");
        CHECK(file.credentials().isComplete());
    }
    // Owner bits beyond rw are the owner's business, as in cl-worker.
    PasswordFile ownerOnly(writeFile(dir, "bob\npw\n", 0700));
    CHECK(ownerOnly.load());
    PasswordFile readOnly(writeFile(dir, "bob\npw\n", 0400));
    CHECK(readOnly.load());
}

TEST_CASE(
    "a password file that its group or others may access is refused with the chmod to run", "[passwordfile]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    struct Case
    {
        mode_t mode;
        const char *shown;
    };
    for (const Case &c : { Case { 0640, "0640" }, Case { 0604, "0604" }, Case { 0610, "0610" },
             Case { 0601, "0601" }, Case { 0660, "0660" }, Case { 0644, "0644" } }) {
        const QString path = writeFile(dir, "alice\npw\n", c.mode);
        PasswordFile file(path);
        INFO(c.shown);
        CHECK_FALSE(file.load());
        CHECK(file.error() == PasswordFile::Error::TooOpen);
        CHECK(file.errorString().contains(QStringLiteral("chmod 600 %1").arg(path)));
        CHECK(file.errorString().contains(QLatin1String(c.shown)));
        CHECK(file.credentials().password.isEmpty());
    }
}

TEST_CASE("a missing or short password file is refused with a clear message", "[passwordfile]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());

    PasswordFile missing(dir.filePath(QStringLiteral("nope")));
    CHECK_FALSE(missing.load());
    CHECK(missing.error() == PasswordFile::Error::Missing);
    CHECK(missing.errorString().contains(QLatin1String("does not exist")));
    CHECK(missing.errorString().contains(dir.filePath(QStringLiteral("nope"))));

    for (const QByteArray &content :
        { QByteArrayLiteral("alice"), QByteArrayLiteral("alice\n"), QByteArray() }) {
        PasswordFile oneLine(writeFile(dir, content, 0600));
        INFO(content.toStdString());
        CHECK_FALSE(oneLine.load());
        CHECK(oneLine.error() == PasswordFile::Error::Malformed);
        CHECK(oneLine.errorString().contains(QLatin1String("fewer than two lines")));
    }
    for (const QByteArray &content :
        { QByteArrayLiteral("alice\n\n"), QByteArrayLiteral("\npw\n"), QByteArrayLiteral("alice\n   \n") }) {
        PasswordFile empty(writeFile(dir, content, 0600));
        CHECK_FALSE(empty.load());
        CHECK(empty.error() == PasswordFile::Error::Malformed);
        CHECK(empty.errorString().contains(QLatin1String("empty")));
    }

    PasswordFile directory(dir.path());
    CHECK_FALSE(directory.load());
    CHECK(directory.error() == PasswordFile::Error::Unreadable);

    PasswordFile huge(writeFile(dir, QByteArray(PasswordFile::MaxSize + 10, 'x'), 0600));
    CHECK_FALSE(huge.load());
    CHECK(huge.error() == PasswordFile::Error::Malformed);
}

TEST_CASE("credentials come from CODALAB_USERNAME and CODALAB_PASSWORD", "[passwordfile]")
{
    QProcessEnvironment env;
    CHECK_FALSE(Credentials::fromEnvironment(env).isComplete());
    env.insert(QStringLiteral("CODALAB_USERNAME"), QStringLiteral("alice"));
    Credentials partial = Credentials::fromEnvironment(env);
    CHECK(partial.username.toStdString() == "alice");
    CHECK(partial.password.isEmpty());
    CHECK_FALSE(partial.isComplete());
    env.insert(QStringLiteral("CODALAB_PASSWORD"), QStringLiteral(" with spaces "));
    const Credentials full = Credentials::fromEnvironment(env);
    CHECK(full.isComplete());
    CHECK(full.password.toStdString() == " with spaces ");
}
