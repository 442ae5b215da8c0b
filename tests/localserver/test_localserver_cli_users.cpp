// SPDX-License-Identifier: GPL-3.0-or-later
// The upstream `cl` CLI's requests about sessions, users, passwords and quotas: cl work, status, uinfo,
// uedit, codalab-local-server --set-password, disk quotas, each sent as the CLI sends it.
#include "localserver/clrequests.h"
#include "localserverfixture.h"
#include "serverprocess.h"
#include "util/tarbuilder.h"

#include <QDate>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStorageInfo>

#include <sys/stat.h>

using namespace codalab::test;
using namespace Qt::StringLiterals;

namespace {

const QStringList readOnlyText { u"email"_s, u"has_access"_s, u"time_quota"_s, u"parallel_run_quota"_s,
    u"time_used"_s, u"disk_quota"_s, u"disk_used"_s, u"date_joined"_s, u"last_login"_s };

std::unique_ptr<ClRequests> rootCli(const LocalServerFixture &f)
{
    return ClRequests::login(QUrl(f.server->url()), u"codalab"_s, f.password);
}

/// codalab-local-server --data-dir D --set-password USER with `input` on a pipe; exit code and stderr.
std::pair<int, QString> setPasswordFromPipe(
    const QString &dataDir, const QString &user, const QByteArray &input)
{
    QProcess p;
    p.start(
        QStringLiteral(CODALAB_LOCAL_SERVER_BIN), { u"--data-dir"_s, dataDir, u"--set-password"_s, user });
    REQUIRE(p.waitForStarted(10000));
    p.write(input);
    p.closeWriteChannel();
    REQUIRE(p.waitForFinished(20000));
    return { p.exitCode(), QString::fromUtf8(p.readAllStandardError()) };
}

int loginStatus(const QUrl &server, const QString &user, const QString &password)
{
    HttpTestClient http(server);
    return http.passwordGrant(u"codalab_cli_client"_s, user, password).status;
}

QString passwordFileLine(const QString &dataDir, int line)
{
    QFile file(QDir(dataDir).filePath(u"codalab-password"_s));
    REQUIRE(file.open(QIODevice::ReadOnly));
    return QString::fromUtf8(file.readAll()).split(u'\n').value(line);
}

} // namespace

TEST_CASE(
    "cl work URL:: finds or makes the home worksheet, cl work URL::name and cl status", "[localserver][cli]")
{
    LocalServerFixture f;
    auto cl = rootCli(f);
    const ClParams homeByName { { u"keywords"_s, QStringList { u"name=home-codalab"_s } } };
    CHECK(cl->fetch(u"worksheets"_s, {}, homeByName).toArray().isEmpty());
    // `cl work URL::` sends base=None and an empty spec: the home worksheet, created on first use.
    const QString home = cl->home();
    CHECK(cl->home() == home);
    const QJsonObject ws = cl->fetch(u"worksheets"_s, home).toObject();
    CHECK(ws["uuid"_L1].toString() == home);
    CHECK(ws["name"_L1].toString() == "home-codalab"_L1);
    // cl status reads meta.version (dotted integers, checked by unpack) from the single-object answer.
    CHECK(ws["meta"_L1]["version"_L1].toString().count(u'.') >= 1);

    // `cl work URL::name`: by name with base=None; unknown names are a 404 with upstream's words.
    cl->create(u"worksheets"_s, { QJsonObject { { u"name"_s, u"exp-1"_s } } });
    const QJsonObject named
        = cl->fetchOne(u"worksheets"_s, { { u"base"_s, QVariant() }, { u"specs"_s, u"exp-1"_s } });
    CHECK(named["name"_L1].toString() == "exp-1"_L1);
    // The plain `cl work name` form sends the current worksheet as base.
    CHECK(cl->fetchOne(u"worksheets"_s, { { u"base"_s, home }, { u"specs"_s, u"exp-1"_s } })["uuid"_L1]
        == named["uuid"_L1]);
    const HttpResult missing
        = cl->request("GET", u"/worksheets"_s, { { u"base"_s, QVariant() }, { u"specs"_s, u"nope"_s } });
    CHECK(missing.status == 404);
    CHECK(missing.body == "No worksheet found with name 'nope'");
    // get_current_worksheet_uuid with no session worksheet: specs=/ alone.
    CHECK(cl->fetchOne(u"worksheets"_s, { { u"specs"_s, u"/"_s } })["uuid"_L1].toString() == home);

    // cl status: GET /user for user_name and id.
    const QJsonObject user = cl->fetch(u"user"_s).toObject();
    CHECK(user["user_name"_L1].toString() == "codalab"_L1);
    CHECK(user["id"_L1].isString());
}

TEST_CASE("cl uinfo finds every field it prints and cl uedit changes the profile by upstream's rules",
    "[localserver][cli]")
{
    LocalServerFixture f;
    auto cl = rootCli(f);
    const QJsonObject user = cl->fetch(u"user"_s).toObject();
    // print_user_info: these are read with user[key] (a KeyError otherwise), null allowed.
    for (const char *key :
        { "id", "user_name", "first_name", "last_name", "affiliation", "url", "date_joined" }) {
        INFO(key);
        CHECK(user.contains(QLatin1String(key)));
    }
    // time/disk are printed as ratios of numbers; cl info needs is_root_user.
    for (const char *key : { "time_used", "time_quota", "disk_used", "disk_quota", "parallel_run_quota" }) {
        INFO(key);
        CHECK(user[QLatin1String(key)].isDouble());
    }
    CHECK(user["is_root_user"_L1].toBool());
    CHECK(user["date_joined"_L1].toString().contains(QString::number(QDate::currentDate().year())));

    // cl uedit --first-name ... : PATCH /user with ONE object under data (not a list).
    const QString emoji = u"Zoë 🚀 林"_s;
    const QJsonObject patch { { u"data"_s,
        QJsonObject { { u"type"_s, u"users"_s },
            { u"attributes"_s,
                QJsonObject { { u"first_name"_s, emoji }, { u"affiliation"_s, u"Lab ✓"_s },
                    { u"url"_s, u"https://example.org/~zoe"_s } } } } } };
    const QJsonValue edited = ClRequests::unpackAnswer(cl->request("PATCH", u"/user"_s, {}, patch));
    REQUIRE(edited.isObject());
    CHECK(edited["first_name"_L1].toString() == emoji);
    CHECK(edited["affiliation"_L1].toString() == u"Lab ✓"_s);
    CHECK(cl->fetch(u"user"_s)["first_name"_L1].toString() == emoji);
    CHECK(cl->fetch(u"users"_s, u"codalab"_s)["first_name"_L1].toString() == emoji);

    // Read-only fields: 403 with upstream's list; a bad URL: 400 "Not a valid URL.".
    for (const QString &field : { u"disk_quota"_s, u"email"_s, u"time_used"_s }) {
        INFO(field.toStdString());
        const HttpResult refused = cl->request("PATCH", u"/user"_s, {},
            QJsonObject { { u"data"_s,
                QJsonObject {
                    { u"type"_s, u"users"_s }, { u"attributes"_s, QJsonObject { { field, 5 } } } } } });
        CHECK(refused.status == 403);
        CHECK(refused.body == "These fields are read-only: " + readOnlyText.join(u", "_s).toUtf8());
    }
    const HttpResult badUrl = cl->request("PATCH", u"/user"_s, {},
        QJsonObject { { u"data"_s,
            QJsonObject { { u"type"_s, u"users"_s },
                { u"attributes"_s, QJsonObject { { u"url"_s, u"not a url"_s } } } } } });
    CHECK(badUrl.status == 400);
    CHECK(badUrl.body == "Not a valid URL.");
    CHECK(cl->fetch(u"user"_s)["url"_L1].toString() == "https://example.org/~zoe"_L1);
}

TEST_CASE("root sets a disk quota with PATCH /rest/users, then uploads past it fail and leave nothing",
    "[localserver][cli]")
{
    LocalServerFixture f;
    QString error;
    const QString alicePassword = f.server->addUser(u"alice"_s, &error);
    REQUIRE(!alicePassword.isEmpty());
    auto root = rootCli(f);
    auto alice = ClRequests::login(QUrl(f.server->url()), u"alice"_s, alicePassword);
    const QString aliceId = alice->fetch(u"user"_s)["id"_L1].toString();

    // The default quota, never set, is the size of the data directory's disk.
    CHECK(
        alice->fetch(u"user"_s)["disk_quota"_L1].toInteger() == QStorageInfo(f.dataDir.path()).bytesTotal());

    // `cl uedit alice -d 20k`: GET /users/alice for the id, then PATCH /users with a list; root only.
    const QJsonArray quota { QJsonObject { { u"id"_s, aliceId }, { u"disk_quota"_s, 20 * 1024 } } };
    const HttpResult refused = alice->request("PATCH", u"/users"_s, {}, ClRequests::pack(quota, u"users"_s));
    CHECK(refused.status == 403);
    CHECK(refused.body == "Only root user can update other users.");
    CHECK(root->fetch(u"users"_s, u"alice"_s)["id"_L1].toString() == aliceId);
    const QJsonValue updated = root->update(u"users"_s, quota);
    REQUIRE(updated.isArray());
    CHECK(updated[0]["disk_quota"_L1].toInteger() == 20 * 1024);
    CHECK(alice->fetch(u"user"_s)["disk_quota"_L1].toInteger() == 20 * 1024);

    // A 64 KiB file packed into a few hundred bytes of tar.gz: refused by what it expands to.
    const QByteArray bomb = TarBuilder().file("./big.bin", QByteArray(64 * 1024, 'z')).finish();
    REQUIRE(bomb.size() < 4096);
    ClUploadResult put;
    const QString uuid = alice->upload(
        alice->home(), ClRequests::uploadMetadata(u"big"_s), u"big.tar.gz"_s, bomb, true, &put);
    INFO(put.body.toStdString());
    CHECK(put.status == 400);
    CHECK(put.body.startsWith("Upload failed: "));
    CHECK(put.body.contains("user disk quota exceeded"));
    const QJsonObject failed = alice->fetch(u"bundles"_s, uuid).toObject();
    CHECK(failed["state"_L1].toString() == "failed"_L1);
    CHECK(failed["metadata"_L1]["failure_message"_L1].toString() == QString::fromUtf8(put.body));
    // Nothing of it is left in the bundles directory, not even a partial tree.
    const QStringList left = QDir(QDir(f.dataDir.path()).filePath(u"bundles"_s))
                                 .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    CHECK(left.isEmpty());

    // Within the quota it is taken.
    const QString small = alice->upload(alice->home(), ClRequests::uploadMetadata(u"small"_s),
        u"small.tar.gz"_s, TarBuilder().file("./a.txt", "tiny\n").finish(), true);
    CHECK(alice->fetch(u"bundles"_s, small)["state"_L1].toString() == "ready"_L1);
}

TEST_CASE("with no free disk beyond the reserve an upload is refused naming the server's disk",
    "[localserver][cli]")
{
    LocalServerFixture f([](codalab::localserver::LocalServerConfig &config) {
        // More than is free now is reserved, with room to spare: other processes (a build) writing and
        // deleting on the same disk meanwhile must not make the upload fit.
        const QStorageInfo disk(config.dataDir);
        config.diskReserveBytes = disk.bytesAvailable() + 256 * 1024 * 1024;
    });
    auto cl = rootCli(f);
    const QByteArray archive = TarBuilder().file("./big.bin", QByteArray(4 * 1024 * 1024, 'z')).finish();
    ClUploadResult put;
    const QString uuid
        = cl->upload(cl->home(), ClRequests::uploadMetadata(u"big"_s), u"big.tgz"_s, archive, true, &put);
    INFO(put.body.toStdString());
    CHECK(put.status == 400);
    CHECK(put.body.startsWith("Upload failed: "));
    CHECK(put.body.contains("the server's disk"));
    CHECK(cl->fetch(u"bundles"_s, uuid)["state"_L1].toString() == "failed"_L1);
}

TEST_CASE("codalab-local-server --set-password from a pipe changes the password a running server checks",
    "[localserver][cli]")
{
    QTemporaryDir dir;
    ServerProcess server(dir.path());
    server.start();
    const QString old = server.password();

    const auto [code, err] = setPasswordFromPipe(dir.path(), u"codalab"_s, "n3w-Pässword\n");
    INFO(err.toStdString());
    REQUIRE(code == 0);
    CHECK(passwordFileLine(dir.path(), 0) == "codalab"_L1);
    CHECK(passwordFileLine(dir.path(), 1) == u"n3w-Pässword"_s);
    struct stat st
    {
    };
    REQUIRE(
        ::stat(QFile::encodeName(QDir(dir.path()).filePath(u"codalab-password"_s)).constData(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    // The running server takes the new one at once and refuses the old.
    CHECK(loginStatus(server.url(), u"codalab"_s, u"n3w-Pässword"_s) == 200);
    CHECK(loginStatus(server.url(), u"codalab"_s, old) == 401);

    // An empty line or an unknown user: exit 1, a clear message, nothing changed.
    const auto [emptyCode, emptyErr] = setPasswordFromPipe(dir.path(), u"codalab"_s, "\n");
    CHECK(emptyCode == 1);
    CHECK(emptyErr.contains("no password"_L1));
    const auto [unknownCode, unknownErr] = setPasswordFromPipe(dir.path(), u"nobody"_s, "secret\n");
    CHECK(unknownCode == 1);
    CHECK(unknownErr.contains("nobody"_L1));
    CHECK(loginStatus(server.url(), u"codalab"_s, u"n3w-Pässword"_s) == 200);
}

TEST_CASE(
    "codalab-local-server --set-password on a terminal asks twice and two different answers change nothing",
    "[localserver][cli]")
{
    QTemporaryDir dir;
    ServerProcess server(dir.path());
    server.start();
    const QString old = server.password();

    // script(1) gives the command a pty; each answer is typed once its prompt is shown, as a person
    // would (the prompt flushes what was typed ahead when it turns echo off).
    const auto onTerminal = [&](const QByteArray &first, const QByteArray &second) {
        QProcess p;
        p.start(u"script"_s,
            { u"-qec"_s,
                QStringLiteral("'%1' --data-dir '%2' --set-password codalab")
                    .arg(QStringLiteral(CODALAB_LOCAL_SERVER_BIN), dir.path()),
                u"/dev/null"_s });
        REQUIRE(p.waitForStarted(10000));
        QByteArray out;
        const auto waitFor = [&](const QByteArray &text) {
            return spinUntil(
                       [&] {
                           out += p.readAllStandardOutput();
                           return out.contains(text) || p.state() == QProcess::NotRunning;
                       },
                       15000)
                && out.contains(text);
        };
        INFO(out.toStdString());
        REQUIRE(waitFor("New password for codalab"));
        p.write(first + '\n');
        REQUIRE(waitFor("Repeat it"));
        p.write(second + '\n');
        REQUIRE(p.waitForFinished(15000));
        out += p.readAllStandardOutput();
        CHECK(!out.contains(first)); // not echoed
        return std::pair(p.exitCode(), QString::fromUtf8(out));
    };

    const auto [mismatch, mismatchOut] = onTerminal("typed-once", "typed-twice");
    CHECK(mismatch == 1);
    CHECK(mismatchOut.contains("differ"_L1));
    CHECK(loginStatus(server.url(), u"codalab"_s, old) == 200);
    CHECK(passwordFileLine(dir.path(), 1) == old);

    const auto [same, sameOut] = onTerminal("typed-twice", "typed-twice");
    INFO(sameOut.toStdString());
    CHECK(same == 0);
    CHECK(loginStatus(server.url(), u"codalab"_s, u"typed-twice"_s) == 200);
    CHECK(loginStatus(server.url(), u"codalab"_s, old) == 401);
}
