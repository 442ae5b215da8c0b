// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/keyringtestsupport.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusReply>
#include <QDBusVariant>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>

#include <catch2/catch.hpp>

namespace {

// The Secret Service's Secret struct (oayays), with the "plain" session algorithm.
struct PlainSecret
{
    QDBusObjectPath session;
    QByteArray parameters;
    QByteArray value;
    QString contentType;
};

QDBusArgument &operator<<(QDBusArgument &argument, const PlainSecret &secret)
{
    argument.beginStructure();
    argument << secret.session << secret.parameters << secret.value << secret.contentType;
    argument.endStructure();
    return argument;
}

const QDBusArgument &operator>>(const QDBusArgument &argument, PlainSecret &secret)
{
    argument.beginStructure();
    argument >> secret.session >> secret.parameters >> secret.value >> secret.contentType;
    argument.endStructure();
    return argument;
}

// Blocking calls are fine in a test: it has nothing else to do meanwhile.
QDBusMessage callService(const QString &interface, const QString &method, const QVariantList &arguments)
{
    QDBusMessage call = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.secrets"),
        QStringLiteral("/org/freedesktop/secrets"), interface, method);
    call.setArguments(arguments);
    return QDBusConnection::sessionBus().call(call);
}

const auto serviceInterface = QLatin1String("org.freedesktop.Secret.Service");

} // namespace

Q_DECLARE_METATYPE(PlainSecret)

namespace codalab::test {

void KeyringTestSupport::requireTestKeyring()
{
    INFO("run this test through tests/secrets/with-keyring.sh (ctest does), never against a real keyring");
    REQUIRE(qEnvironmentVariableIsSet("CODALAB_TEST_KEYRING_DIR"));
    REQUIRE(qEnvironmentVariableIsSet("CODALAB_TEST_KEYRING_PASSWORD"));
}

secrets::SecretResult KeyringTestSupport::waitForResult(secrets::SecretJob *job, int timeoutMs)
{
    REQUIRE(job != nullptr);
    QSignalSpy finished(job, &secrets::SecretJob::finished);
    // finished() is never emitted from within the call that made the job, so the spy cannot miss it.
    REQUIRE(finished.wait(timeoutMs));
    REQUIRE(finished.count() == 1);
    return finished.at(0).at(0).value<secrets::SecretResult>();
}

QString KeyringTestSupport::defaultCollection()
{
    const QDBusReply<QDBusObjectPath> alias
        = callService(serviceInterface, QStringLiteral("ReadAlias"), { QStringLiteral("default") });
    INFO(alias.error().message().toStdString());
    REQUIRE(alias.isValid());
    REQUIRE(alias.value().path() != QLatin1String("/"));
    return alias.value().path();
}

void KeyringTestSupport::lockDefaultCollection()
{
    const QDBusMessage reply = callService(serviceInterface, QStringLiteral("Lock"),
        { QVariant::fromValue(QList<QDBusObjectPath> { QDBusObjectPath(defaultCollection()) }) });
    INFO(reply.errorMessage().toStdString());
    REQUIRE(reply.type() == QDBusMessage::ReplyMessage);
    REQUIRE(isDefaultCollectionLocked());
}

void KeyringTestSupport::unlockDefaultCollection()
{
    qDBusRegisterMetaType<PlainSecret>();
    const QDBusMessage session = callService(serviceInterface, QStringLiteral("OpenSession"),
        { QStringLiteral("plain"), QVariant::fromValue(QDBusVariant(QString())) });
    INFO(session.errorMessage().toStdString());
    REQUIRE(session.type() == QDBusMessage::ReplyMessage);
    REQUIRE(session.arguments().size() == 2);
    const PlainSecret master { session.arguments().at(1).value<QDBusObjectPath>(), {},
        qgetenv("CODALAB_TEST_KEYRING_PASSWORD"), QStringLiteral("text/plain") };
    // The session is bound to this connection, so the unlock must go over the same one (sessionBus()).
    const QDBusMessage reply
        = callService(QStringLiteral("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"),
            QStringLiteral("UnlockWithMasterPassword"),
            { QVariant::fromValue(QDBusObjectPath(defaultCollection())), QVariant::fromValue(master) });
    INFO(reply.errorMessage().toStdString());
    REQUIRE(reply.type() == QDBusMessage::ReplyMessage);
    REQUIRE_FALSE(isDefaultCollectionLocked());
}

bool KeyringTestSupport::isDefaultCollectionLocked()
{
    QDBusMessage call = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.secrets"),
        defaultCollection(), QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    call << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    const QDBusReply<QDBusVariant> locked = QDBusConnection::sessionBus().call(call);
    INFO(locked.error().message().toStdString());
    REQUIRE(locked.isValid());
    return locked.value().variant().toBool();
}

QStringList KeyringTestSupport::filesContaining(const QString &dir, const QByteArray &needle)
{
    QStringList found;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle)) {
            found.append(path);
        }
    }
    return found;
}

} // namespace codalab::test
