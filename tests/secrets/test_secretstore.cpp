// SPDX-License-Identifier: GPL-3.0-or-later
// SecretStore against a real GNOME Keyring on a private session bus (tests/secrets/with-keyring.sh).
#include "secrets/keyringtestsupport.h"
#include "secrets/secretstore.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using namespace codalab::secrets;
using codalab::test::KeyringTestSupport;

namespace {

const SecretKey alice(QStringLiteral("https://worksheets.codalab.org"), QStringLiteral("alice"));

SecretResult finish(SecretJob *job)
{
    return KeyringTestSupport::waitForResult(job);
}

// What libsecret's own command line tool finds under QtKeychain's attributes: proof the entry is in the
// keyring itself, not in some other store.
QString secretToolLookup(const SecretKey &key)
{
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"),
        { QStringLiteral("lookup"), QStringLiteral("user"), key.toString(), QStringLiteral("server"),
            SecretStore::defaultServiceName() });
    INFO("secret-tool comes with libsecret-tools (scripts/install-deps.sh)");
    REQUIRE(tool.waitForFinished(20000));
    return QString::fromUtf8(tool.readAllStandardOutput());
}

} // namespace

TEST_CASE("a written secret reads back, and a second write replaces it", "[secretstore]")
{
    KeyringTestSupport::requireTestKeyring();
    SecretStore store;
    const SecretResult written = finish(store.write(alice, QStringLiteral("first password")));
    INFO(written.error.message.toStdString() << " / " << written.error.detail.toStdString());
    REQUIRE(written.ok());
    CHECK(written.operation == SecretResult::Operation::Write);
    CHECK(written.secret.isEmpty());
    CHECK(written.attempts == 1);

    const SecretResult read = finish(store.read(alice));
    REQUIRE(read.ok());
    CHECK(read.operation == SecretResult::Operation::Read);
    CHECK(read.key == alice);
    CHECK(read.secret.toStdString() == "first password");

    REQUIRE(finish(store.write(alice, QStringLiteral("second pässword"))).ok());
    CHECK(finish(store.read(alice)).secret.toStdString() == "second pässword");
    CHECK(secretToolLookup(alice).toStdString() == "second pässword");

    // Nothing but the keyring holds it: no settings file, no cache, nothing in the temporary home.
    const QString home = qEnvironmentVariable("HOME");
    const QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    CHECK(KeyringTestSupport::filesContaining(home, QByteArrayLiteral("second p")).isEmpty());
    CHECK(KeyringTestSupport::filesContaining(config, QByteArrayLiteral("second p")).isEmpty());
}

TEST_CASE("a removed secret reads as NotFound, and removing it again succeeds", "[secretstore]")
{
    KeyringTestSupport::requireTestKeyring();
    SecretStore store;
    const SecretKey key(QStringLiteral("http://127.0.0.1:2900"), QStringLiteral("codalab"));
    REQUIRE(finish(store.write(key, QStringLiteral("local password"))).ok());
    REQUIRE(finish(store.read(key)).ok());

    const SecretResult removed = finish(store.remove(key));
    REQUIRE(removed.ok());
    CHECK(removed.operation == SecretResult::Operation::Remove);

    SecretJob *read = store.read(key);
    QSignalSpy retrying(read, &SecretJob::retrying);
    const SecretResult missing = finish(read);
    CHECK(missing.error.kind == SecretError::Kind::NotFound);
    CHECK(missing.error.message.toStdString() == "No password is saved for this server and user.");
    CHECK(missing.secret.isEmpty());
    // A missing entry is an answer, not a keyring that is still starting: no delayed retry.
    CHECK(retrying.isEmpty());
    CHECK(missing.attempts == 1);
    CHECK(secretToolLookup(key).isEmpty());

    CHECK(finish(store.remove(key)).ok());
}

TEST_CASE("servers and users never share an entry", "[secretstore]")
{
    KeyringTestSupport::requireTestKeyring();
    SecretStore store;
    const SecretKey otherServer(QStringLiteral("https://codalab.example.edu"), QStringLiteral("alice"));
    const SecretKey otherUser(QStringLiteral("https://worksheets.codalab.org"), QStringLiteral("bob"));
    REQUIRE(finish(store.write(alice, QStringLiteral("alice@codalab"))).ok());
    REQUIRE(finish(store.write(otherServer, QStringLiteral("alice@example"))).ok());
    REQUIRE(finish(store.write(otherUser, QStringLiteral("bob@codalab"))).ok());

    CHECK(finish(store.read(alice)).secret.toStdString() == "alice@codalab");
    CHECK(finish(store.read(otherServer)).secret.toStdString() == "alice@example");
    CHECK(finish(store.read(otherUser)).secret.toStdString() == "bob@codalab");
    // Another spelling of the same server is the same entry.
    const SecretKey sameServer(
        QStringLiteral("HTTPS://Worksheets.CodaLab.org:443/"), QStringLiteral("alice"));
    CHECK(finish(store.read(sameServer)).secret.toStdString() == "alice@codalab");

    // Another application name is another set of entries.
    SecretStore otherApp(QStringLiteral("Some Other App"));
    CHECK(finish(otherApp.read(alice)).error.kind == SecretError::Kind::NotFound);

    REQUIRE(finish(store.remove(otherServer)).ok());
    CHECK(finish(store.read(alice)).secret.toStdString() == "alice@codalab");
    CHECK(finish(store.read(otherUser)).secret.toStdString() == "bob@codalab");
}

TEST_CASE("a cancelled job reports nothing, and the store keeps working", "[secretstore]")
{
    KeyringTestSupport::requireTestKeyring();
    SecretStore store;
    REQUIRE(finish(store.write(alice, QStringLiteral("kept"))).ok());

    SecretJob *read = store.read(alice);
    QSignalSpy readFinished(read, &SecretJob::finished);
    QSignalSpy readDestroyed(read, &QObject::destroyed);
    read->cancel();
    CHECK(read->isFinished());
    CHECK(read->result().error.kind == SecretError::Kind::Cancelled);
    CHECK_FALSE(readFinished.wait(1000));
    CHECK(readFinished.isEmpty());
    CHECK(readDestroyed.count() == 1);

    SecretJob *write = store.write(alice, QStringLiteral("maybe"));
    QSignalSpy writeFinished(write, &SecretJob::finished);
    write->cancel();
    write->cancel(); // a second cancel is harmless
    CHECK_FALSE(writeFinished.wait(1000));

    // The keyring jobs the cancelled ones started have ended on their own; new calls are answered.
    const SecretResult after = finish(store.read(alice));
    REQUIRE(after.ok());
    CHECK((after.secret == QLatin1String("kept") || after.secret == QLatin1String("maybe")));
}

TEST_CASE("deleting the store drops its jobs without a report", "[secretstore]")
{
    KeyringTestSupport::requireTestKeyring();
    auto store = std::make_unique<SecretStore>();
    SecretJob *read = store->read(alice);
    QSignalSpy finished(read, &SecretJob::finished);
    QSignalSpy destroyed(read, &QObject::destroyed);
    store.reset();
    CHECK(destroyed.count() == 1);
    CHECK_FALSE(finished.wait(1000));
}

TEST_CASE("a key without server or user fails, asynchronously", "[secretstore]")
{
    KeyringTestSupport::requireTestKeyring();
    SecretStore store;
    SecretJob *job = store.write(
        SecretKey(QStringLiteral("not a url at all ::"), QStringLiteral("alice")), QStringLiteral("x"));
    CHECK_FALSE(job->isFinished());
    const SecretResult result = finish(job);
    CHECK(result.error.kind == SecretError::Kind::Other);
    CHECK(result.error.detail.contains(QLatin1String("valid server address")));
    CHECK(finish(store.read(SecretKey(QStringLiteral("https://a.example"), QString()))).error.kind
        == SecretError::Kind::Other);
}

TEST_CASE("a locked keyring is reported as Locked, and retry() succeeds once it is unlocked", "[secretstore]")
{
    KeyringTestSupport::requireTestKeyring();
    SecretStore store(SecretStore::defaultServiceName(), 100ms);
    REQUIRE(finish(store.write(alice, QStringLiteral("behind the lock"))).ok());

    KeyringTestSupport::lockDefaultCollection();
    const SecretResult read = finish(store.read(alice));
    INFO(read.error.detail.toStdString());
    CHECK(read.error.kind == SecretError::Kind::Locked);
    CHECK(read.error.message.startsWith(QLatin1String("The keyring is locked")));
    CHECK(read.secret.isEmpty());

    const SecretResult write = finish(store.write(alice, QStringLiteral("new")));
    INFO(write.error.detail.toStdString());
    CHECK(write.error.kind == SecretError::Kind::Locked);

    auto *probe = new SecretServiceProbe(); // deletes itself after finished()
    QSignalSpy probed(probe, &SecretServiceProbe::finished);
    probe->start();
    REQUIRE(probed.wait(10000));
    CHECK(probed.at(0).at(0).value<SecretServiceProbe::State>() == SecretServiceProbe::State::Locked);

    KeyringTestSupport::unlockDefaultCollection();
    SecretJob *retried = store.retry(read);
    QSignalSpy retrying(retried, &SecretJob::retrying);
    const SecretResult again = finish(retried);
    REQUIRE(again.ok());
    CHECK(again.operation == SecretResult::Operation::Read);
    CHECK(again.key == alice);
    CHECK(again.secret.toStdString() == "behind the lock");
    CHECK(retrying.isEmpty());

    // A write is retried with the secret passed again: the store never kept it.
    REQUIRE(finish(store.retry(write, QStringLiteral("after unlock"))).ok());
    CHECK(finish(store.read(alice)).secret.toStdString() == "after unlock");
}

TEST_CASE("the probe sees the unlocked keyring, and a bus without a Secret Service", "[secretstore][probe]")
{
    KeyringTestSupport::requireTestKeyring();
    auto *probe = new SecretServiceProbe();
    QSignalSpy probed(probe, &SecretServiceProbe::finished);
    QSignalSpy destroyed(probe, &QObject::destroyed);
    probe->start();
    CHECK(probed.isEmpty()); // never from within start()
    REQUIRE(probed.wait(10000));
    CHECK(probed.at(0).at(0).value<SecretServiceProbe::State>() == SecretServiceProbe::State::Unlocked);
    CHECK(destroyed.wait(1000));

    // A bare bus of its own: nothing owns org.freedesktop.secrets and nothing can be activated.
    QProcess daemon;
    daemon.start(QStringLiteral("dbus-daemon"),
        { QStringLiteral("--config-file=%1/bare-bus.conf").arg(QStringLiteral(CODALAB_SECRETS_TEST_DATA)),
            QStringLiteral("--nofork"), QStringLiteral("--print-address=1") });
    REQUIRE(daemon.waitForStarted(10000));
    QElapsedTimer timer;
    timer.start();
    while (!daemon.canReadLine() && timer.elapsed() < 10000) {
        daemon.waitForReadyRead(200);
    }
    const QString address = QString::fromUtf8(daemon.readLine()).trimmed();
    REQUIRE_FALSE(address.isEmpty());
    {
        const QDBusConnection bare = QDBusConnection::connectToBus(address, QStringLiteral("bare"));
        REQUIRE(bare.isConnected());
        auto *bareProbe = new SecretServiceProbe(bare);
        QSignalSpy bareProbed(bareProbe, &SecretServiceProbe::finished);
        bareProbe->start();
        REQUIRE(bareProbed.wait(10000));
        CHECK(bareProbed.at(0).at(0).value<SecretServiceProbe::State>()
            == SecretServiceProbe::State::NoService);
        CHECK(bareProbed.at(0).at(1).toString().contains(QLatin1String("ServiceUnknown")));
    }
    QDBusConnection::disconnectFromBus(QStringLiteral("bare"));
    daemon.kill();
    daemon.waitForFinished(5000);
}
