// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/keyringtestsupport.h"
#include "secrets/profilestore.h"
#include "secrets/secretstore.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab::secrets;
using codalab::test::KeyringTestSupport;

namespace {

Profile makeProfile(const char *server, const char *user, const char *name = "")
{
    Profile profile;
    profile.name = QString::fromUtf8(name);
    profile.serverUrl = QString::fromUtf8(server);
    profile.username = QString::fromUtf8(user);
    return profile;
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return file.readAll();
}

} // namespace

TEST_CASE(
    "profiles round-trip through the settings file, and the current one is remembered", "[profilestore]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("desktop.ini"));
    QString aliceId;
    QString localId;
    {
        ProfileStore store(ini);
        QSignalSpy changed(&store, &ProfileStore::profilesChanged);
        Profile alice = makeProfile("Worksheets.codalab.org/", "alice", "Alice at CodaLab");
        alice.defaultWorksheet = QStringLiteral("0x1234567890abcdef1234567890abcdef");
        alice.defaultQueueTag = QStringLiteral("gpu-lab");
        aliceId = store.add(alice);
        INFO(store.errorString().toStdString());
        REQUIRE_FALSE(aliceId.isEmpty());
        localId = store.add(
            Profile::makeLocal(QStringLiteral("http://127.0.0.1:2900"), QStringLiteral("codalab")));
        REQUIRE_FALSE(localId.isEmpty());
        CHECK(changed.count() == 2);
        CHECK(store.currentProfileId().isEmpty());
        CHECK_FALSE(store.currentProfile());

        QSignalSpy current(&store, &ProfileStore::currentProfileChanged);
        REQUIRE(store.setCurrentProfile(aliceId));
        CHECK(current.count() == 1);
        CHECK(store.setCurrentProfile(aliceId)); // no change, no signal
        CHECK(current.count() == 1);
        CHECK_FALSE(store.setCurrentProfile(QStringLiteral("no-such-id")));
        CHECK(store.currentProfileId() == aliceId);
    }
    // A new store on the same file sees everything.
    ProfileStore store(ini);
    const QList<Profile> profiles = store.profiles();
    REQUIRE(profiles.size() == 2);
    CHECK(profiles[0].id == localId); // the local profile first
    CHECK(profiles[0].local);
    CHECK(profiles[0].name.toStdString() == "This computer (local)");
    CHECK(profiles[0].serverUrl.toStdString() == "http://127.0.0.1:2900");
    const Profile &alice = profiles[1];
    CHECK(alice.id == aliceId);
    CHECK_FALSE(alice.local);
    CHECK(alice.name.toStdString() == "Alice at CodaLab");
    CHECK(alice.serverUrl.toStdString() == "https://worksheets.codalab.org");
    CHECK(alice.username.toStdString() == "alice");
    CHECK(alice.defaultWorksheet.toStdString() == "0x1234567890abcdef1234567890abcdef");
    CHECK(alice.defaultQueueTag.toStdString() == "gpu-lab");
    CHECK(alice.secretKey()
        == SecretKey(QStringLiteral("https://worksheets.codalab.org"), QStringLiteral("alice")));
    REQUIRE(store.currentProfile());
    CHECK(store.currentProfile()->id == aliceId);
    REQUIRE(store.find(QStringLiteral("https://WORKSHEETS.codalab.org:443"), QStringLiteral("alice")));
    CHECK_FALSE(store.find(QStringLiteral("https://worksheets.codalab.org"), QStringLiteral("bob")));

    Profile changedAlice = alice;
    changedAlice.defaultQueueTag = QStringLiteral("cpu");
    changedAlice.name = QStringLiteral("Alice");
    REQUIRE(store.update(changedAlice));
    CHECK(store.profile(aliceId)->defaultQueueTag.toStdString() == "cpu");
    CHECK(store.profile(aliceId)->name.toStdString() == "Alice");

    QSignalSpy current(&store, &ProfileStore::currentProfileChanged);
    REQUIRE(store.remove(aliceId));
    CHECK(current.count() == 1); // removing the current profile clears "current"
    CHECK(store.currentProfileId().isEmpty());
    CHECK(store.profiles().size() == 1);
    CHECK_FALSE(store.remove(aliceId));
    CHECK_FALSE(store.update(changedAlice));
}

TEST_CASE("profiles that would clash or cannot work are refused", "[profilestore]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    ProfileStore store(&settings);
    REQUIRE_FALSE(store.add(makeProfile("https://worksheets.codalab.org", "alice")).isEmpty());
    // The same server and user under another spelling would share a keyring entry.
    CHECK(store.add(makeProfile("worksheets.codalab.org:443", "alice", "again")).isEmpty());
    CHECK(store.errorString().contains(QLatin1String("already")));
    CHECK_FALSE(store.add(makeProfile("https://worksheets.codalab.org", "bob")).isEmpty());
    CHECK(store.add(makeProfile("", "carol")).isEmpty());
    CHECK(store.errorString().contains(QLatin1String("not a server address")));
    Profile badTag = makeProfile("https://codalab.example.edu", "carol");
    badTag.defaultQueueTag = QStringLiteral("gpu queue!");
    CHECK(store.add(badTag).isEmpty());
    CHECK(store.errorString().contains(QLatin1String("letters, digits and hyphens")));
    // One built-in local profile, whose server may be unknown until the local server runs.
    REQUIRE_FALSE(store.add(Profile::makeLocal()).isEmpty());
    CHECK(store.add(Profile::makeLocal(QStringLiteral("http://127.0.0.1:9"))).isEmpty());
    CHECK(store.profiles().size() == 3);
    // A name is made up when none is given.
    CHECK(store.find(QStringLiteral("https://worksheets.codalab.org"), QStringLiteral("bob"))
              ->name.toStdString()
        == "bob@https://worksheets.codalab.org");
}

TEST_CASE("no secret ever reaches the profiles' settings file", "[profilestore][secretstore]")
{
    KeyringTestSupport::requireTestKeyring();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("desktop.ini"));
    const QString password = QStringLiteral("pw-that-must-stay-in-the-keyring-41c2");
    ProfileStore profiles(ini);
    SecretStore secrets;

    // What a login dialog does: the profile to settings, the password to the keyring.
    const QString id = profiles.add(makeProfile("https://worksheets.codalab.org", "alice", "Alice"));
    REQUIRE_FALSE(id.isEmpty());
    REQUIRE(profiles.setCurrentProfile(id));
    const SecretResult written
        = KeyringTestSupport::waitForResult(secrets.write(profiles.profile(id)->secretKey(), password));
    INFO(written.error.message.toStdString());
    REQUIRE(written.ok());
    Profile updated = *profiles.profile(id);
    updated.defaultWorksheet = QStringLiteral("home");
    REQUIRE(profiles.update(updated));

    const QByteArray content = fileBytes(ini);
    CHECK(content.contains("alice"));
    CHECK(content.contains("worksheets.codalab.org"));
    CHECK_FALSE(content.contains(password.toUtf8()));
    CHECK_FALSE(content.contains("pw-that"));
    CHECK_FALSE(content.toLower().contains("password"));
    CHECK(KeyringTestSupport::filesContaining(dir.path(), password.toUtf8()).isEmpty());
    CHECK(KeyringTestSupport::waitForResult(secrets.read(profiles.currentProfile()->secretKey())).secret
        == password);
}
