// SPDX-License-Identifier: GPL-3.0-or-later
// SecretStore with no keyring at all. QtKeychain, libsecret and Qt D-Bus keep one session bus connection per
// process, so each case runs the hidden "[child-nobackend]" case in a child process whose environment has no
// usable bus (or a bus without a Secret Service), and a temporary HOME the test then searches for the secret.
#include "secrets/keyringtestsupport.h"
#include "secrets/secretstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using namespace codalab::secrets;
using codalab::test::KeyringTestSupport;

namespace {

const QByteArray childSecret = QByteArrayLiteral("no-backend-secret-7f3a9c");
const auto childMode = "CODALAB_TEST_NOBACKEND_CHILD";

// An environment whose HOME and XDG directories are all under `root`, without a display (no autolaunch).
QProcessEnvironment isolatedEnvironment(const QString &root, const QString &mode)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name :
        { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR" }) {
        const QString dir = root + QLatin1Char('/') + QString::fromLatin1(name).toLower();
        QDir().mkpath(dir);
        env.insert(QString::fromLatin1(name), dir);
    }
    for (const char *name : { "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS",
             "CODALAB_TEST_KEYRING_DIR", "CODALAB_TEST_KEYRING_PASSWORD" }) {
        env.remove(QString::fromLatin1(name));
    }
    env.insert(QString::fromLatin1(childMode), mode);
    return env;
}

void runChild(const QString &program, const QStringList &arguments, const QProcessEnvironment &env)
{
    QProcess child;
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(program, arguments);
    REQUIRE(child.waitForStarted(10000));
    const bool done = child.waitForFinished(120000);
    const QString output = QString::fromUtf8(child.readAll());
    INFO("child output:\n" << output.toStdString());
    REQUIRE(done);
    CHECK(child.exitStatus() == QProcess::NormalExit);
    CHECK(child.exitCode() == 0);
    CHECK(output.contains(QLatin1String("All tests passed")));
}

SecretResult finishWithOneRetry(SecretJob *job, std::chrono::milliseconds delay)
{
    QSignalSpy retrying(job, &SecretJob::retrying);
    QElapsedTimer timer;
    timer.start();
    const SecretResult result = KeyringTestSupport::waitForResult(job);
    CHECK(retrying.count() == 1);
    CHECK((!retrying.isEmpty() && retrying.at(0).at(0).toInt() == int(delay.count())));
    // A little slack for timer rounding; without the delay this takes a few milliseconds.
    CHECK(timer.elapsed() >= delay.count() * 9 / 10);
    CHECK(result.attempts == 2);
    return result;
}

void checkNoBackend(const SecretResult &result)
{
    INFO(result.error.detail.toStdString());
    CHECK(result.error.kind == SecretError::Kind::NoBackend);
    CHECK(result.error.message.startsWith(
        QLatin1String("No keyring is available: install and unlock GNOME Keyring or KWallet")));
    CHECK(result.secret.isEmpty());
}

} // namespace

TEST_CASE(
    "with no session bus, keyring calls fail with NoBackend and store nothing", "[secretstore][nobackend]")
{
    QTemporaryDir root;
    REQUIRE(root.isValid());
    QProcessEnvironment env = isolatedEnvironment(root.path(), QStringLiteral("nobus"));
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
        QStringLiteral("unix:path=%1/no-bus-here").arg(root.path()));
    runChild(QCoreApplication::applicationFilePath(), { QStringLiteral("[child-nobackend]") }, env);
    CHECK(KeyringTestSupport::filesContaining(root.path(), childSecret).isEmpty());
}

TEST_CASE(
    "with a session bus but no Secret Service, keyring calls fail with NoBackend", "[secretstore][nobackend]")
{
    QTemporaryDir root;
    REQUIRE(root.isValid());
    const QProcessEnvironment env = isolatedEnvironment(root.path(), QStringLiteral("noservice"));
    runChild(QStringLiteral("dbus-run-session"),
        { QStringLiteral("--config-file=%1/bare-bus.conf").arg(QStringLiteral(CODALAB_SECRETS_TEST_DATA)),
            QStringLiteral("--"), QCoreApplication::applicationFilePath(),
            QStringLiteral("[child-nobackend]") },
        env);
    CHECK(KeyringTestSupport::filesContaining(root.path(), childSecret).isEmpty());
}

TEST_CASE("child: keyring calls in an environment without a keyring", "[.child-nobackend]")
{
    const QString mode = qEnvironmentVariable(childMode);
    if (mode.isEmpty()) {
        WARN("only the no-backend tests run this, in an environment they prepare");
        return;
    }
    constexpr auto delay = 100ms;
    SecretStore store(SecretStore::defaultServiceName(), delay);
    const SecretKey key(QStringLiteral("https://worksheets.codalab.org"), QStringLiteral("alice"));

    const SecretResult written
        = finishWithOneRetry(store.write(key, QString::fromLatin1(childSecret)), delay);
    checkNoBackend(written);
    CHECK(written.operation == SecretResult::Operation::Write);
    checkNoBackend(finishWithOneRetry(store.read(key), delay));
    checkNoBackend(finishWithOneRetry(store.remove(key), delay));

    // The user's "Try again": one attempt, at once.
    SecretJob *retried = store.retry(written, QString::fromLatin1(childSecret));
    QSignalSpy retrying(retried, &SecretJob::retrying);
    const SecretResult again = KeyringTestSupport::waitForResult(retried);
    checkNoBackend(again);
    CHECK(again.attempts == 1);
    CHECK(retrying.isEmpty());

    auto *probe = new SecretServiceProbe();
    QSignalSpy probed(probe, &SecretServiceProbe::finished);
    probe->start();
    REQUIRE(probed.wait(10000));
    const auto state = probed.at(0).at(0).value<SecretServiceProbe::State>();
    INFO(probed.at(0).at(1).toString().toStdString());
    CHECK(state
        == (mode == QLatin1String("nobus") ? SecretServiceProbe::State::NoSessionBus
                                           : SecretServiceProbe::State::NoService));

    // QtKeychain's plaintext store would be QSettings under XDG_CONFIG_HOME; nothing is anywhere in HOME.
    CHECK(KeyringTestSupport::filesContaining(qEnvironmentVariable("HOME"), childSecret).isEmpty());
    CHECK(
        KeyringTestSupport::filesContaining(qEnvironmentVariable("XDG_CONFIG_HOME"), childSecret).isEmpty());
}
