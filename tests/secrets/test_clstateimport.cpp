// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/clstateimport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab::secrets;

namespace {

// What cl 1.7 leaves in ~/.codalab/state.json after `cl work` on two servers (tokens shortened).
const QByteArray realisticState = R"({
    "auth": {
        "https://worksheets.codalab.org": {
            "token_info": {
                "access_token": "kR2x8WqJ0aY3Lm5t",
                "expires_at": 1730650000.1234567,
                "refresh_token": "Zp7Qn4Vb9Hc1Ud6s",
                "scope": "default",
                "token_type": "Bearer"
            },
            "username": "alice"
        },
        "http://127.0.0.1:2900": {
            "token_info": {
                "access_token": "local-access",
                "expires_at": 4102444800.0,
                "refresh_token": "local-refresh",
                "scope": "default",
                "token_type": "Bearer"
            },
            "username": "codalab"
        }
    },
    "sessions": {
        "top": {"address": "https://worksheets.codalab.org", "worksheet_uuid": "0x3b5d1e7f9a2c4e6081b3d5f7092a4c6e"}
    }
})";

QString writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    REQUIRE(file.write(content) == content.size());
    return path;
}

} // namespace

TEST_CASE("cl's cached logins are read from its state file, which is left as it was", "[clstate]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = writeFile(dir.filePath(QStringLiteral("state.json")), realisticState);
    const QDateTime modifiedBefore = QFileInfo(path).lastModified();

    ClStateImport import(path);
    INFO(import.errorString().toStdString());
    REQUIRE(import.load());
    CHECK(import.error() == ClStateImport::Error::None);
    CHECK(import.warnings().isEmpty());
    REQUIRE(import.logins().size() == 2);
    const auto byAddress = [&](const char *address) {
        for (const ClLogin &login : import.logins()) {
            if (login.serverAddress == QLatin1String(address)) {
                return login;
            }
        }
        FAIL("no login for " << address);
        return ClLogin {};
    };
    const ClLogin codalab = byAddress("https://worksheets.codalab.org");
    CHECK(codalab.username.toStdString() == "alice");
    CHECK(codalab.accessToken.toStdString() == "kR2x8WqJ0aY3Lm5t");
    CHECK(codalab.refreshToken.toStdString() == "Zp7Qn4Vb9Hc1Ud6s");
    CHECK(codalab.tokenType.toStdString() == "Bearer");
    CHECK(codalab.scope.toStdString() == "default");
    CHECK(codalab.expiresAt.toMSecsSinceEpoch() == 1730650000123LL);
    CHECK(codalab.isExpired(QDateTime::fromSecsSinceEpoch(1730650001, Qt::UTC)));
    CHECK_FALSE(codalab.isExpired(QDateTime::fromSecsSinceEpoch(1730649999, Qt::UTC)));
    const ClLogin local = byAddress("http://127.0.0.1:2900");
    CHECK(local.username.toStdString() == "codalab");
    CHECK(local.refreshToken.toStdString() == "local-refresh");
    CHECK(local.expiresAt.toSecsSinceEpoch() == 4102444800LL);

    QFile after(path);
    REQUIRE(after.open(QIODevice::ReadOnly));
    CHECK(after.readAll() == realisticState);
    CHECK(QFileInfo(path).lastModified() == modifiedBefore);
}

TEST_CASE("the state file is found where cl looks: CODALAB_STATE, CODALAB_HOME, ~/.codalab", "[clstate]")
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("HOME"), QStringLiteral("/home/alice"));
    CHECK(ClStateImport::defaultStatePath(env).toStdString() == "/home/alice/.codalab/state.json");
    env.insert(QStringLiteral("CODALAB_HOME"), QStringLiteral("/srv/codalab-home/"));
    CHECK(ClStateImport::defaultStatePath(env).toStdString() == "/srv/codalab-home/state.json");
    env.insert(QStringLiteral("CODALAB_HOME"), QStringLiteral("~/cl"));
    CHECK(ClStateImport::defaultStatePath(env).toStdString() == "/home/alice/cl/state.json");
    env.insert(QStringLiteral("CODALAB_HOME"), QStringLiteral("relative"));
    CHECK(ClStateImport::defaultStatePath(env)
        == QDir::current().absoluteFilePath(QStringLiteral("relative/state.json")));
    env.insert(QStringLiteral("CODALAB_STATE"), QStringLiteral("/tmp/other-state.json"));
    CHECK(ClStateImport::defaultStatePath(env).toStdString() == "/tmp/other-state.json");

    // And it is read from there.
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    writeFile(dir.filePath(QStringLiteral("clhome/state.json")), realisticState);
    QProcessEnvironment real;
    real.insert(QStringLiteral("CODALAB_HOME"), dir.filePath(QStringLiteral("clhome")));
    ClStateImport import(ClStateImport::defaultStatePath(real));
    REQUIRE(import.load());
    CHECK(import.logins().size() == 2);
}

TEST_CASE("a missing, malformed or odd state file gives a clear error and no logins", "[clstate]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());

    ClStateImport missing(dir.filePath(QStringLiteral("state.json")));
    CHECK_FALSE(missing.load());
    CHECK(missing.error() == ClStateImport::Error::Missing);
    CHECK(missing.errorString().contains(QLatin1String("No cl login found")));

    struct Case
    {
        QByteArray content;
        const char *message;
    };
    for (const Case &c : { Case { realisticState.left(200), "not valid JSON" }, Case { "", "not valid JSON" },
             Case { "[1, 2]", "not a JSON object" }, Case { R"({"auth": [1]})", "not an object" },
             Case { R"({"auth": "x"})", "not an object" } }) {
        const QString path = writeFile(dir.filePath(QStringLiteral("bad.json")), c.content);
        ClStateImport import(path);
        INFO(c.content.toStdString());
        CHECK_FALSE(import.load());
        CHECK(import.error() == ClStateImport::Error::Malformed);
        CHECK(import.errorString().contains(QLatin1String(c.message)));
        CHECK(import.errorString().contains(path));
        CHECK(import.logins().isEmpty());
    }

    // No auth at all: cl has state but nobody logged in.
    ClStateImport noAuth(writeFile(dir.filePath(QStringLiteral("noauth.json")), R"({"sessions": {}})"));
    CHECK(noAuth.load());
    CHECK(noAuth.logins().isEmpty());

    // Entries of the wrong shape are skipped and named; the good one still comes through.
    ClStateImport mixed(writeFile(dir.filePath(QStringLiteral("mixed.json")), R"({"auth": {
        "https://a.example": "not an object",
        "https://b.example": {"token_info": {"access_token": "t"}},
        "https://c.example": {"username": "carol", "token_info": "nope"},
        "https://d.example": {"username": "dave", "token_info": {"refresh_token": "r", "expires_at": "soon"}}
    }})"));
    REQUIRE(mixed.load());
    REQUIRE(mixed.logins().size() == 1);
    CHECK(mixed.logins()[0].username.toStdString() == "dave");
    CHECK_FALSE(mixed.logins()[0].expiresAt.isValid());
    CHECK(mixed.logins()[0].isExpired());
    CHECK(mixed.warnings().size() == 3);
    CHECK(mixed.warnings().join(QLatin1Char('\n')).contains(QLatin1String("https://a.example")));
}
