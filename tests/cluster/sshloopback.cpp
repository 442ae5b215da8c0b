// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/sshloopback.h"

#include "support/spinuntil.h"

#include <QDir>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>

#include <catch2/catch.hpp>
#include <unistd.h>

namespace codalab::test {

namespace {

void write(const QString &path, const QByteArray &text, QFile::Permissions permissions)
{
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    REQUIRE(f.write(text) == text.size());
    f.close();
    REQUIRE(f.setPermissions(permissions));
}

void keygen(const QString &path)
{
    QProcess p;
    p.start(QStringLiteral("ssh-keygen"),
        { QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
            QString(), QStringLiteral("-f"), path });
    REQUIRE(p.waitForFinished(30000));
    REQUIRE(p.exitCode() == 0);
}

} // namespace

SshLoopback::SshLoopback()
{
    REQUIRE(dir.isValid());
    const QString d = dir.path();
    keygen(d + QStringLiteral("/host_key"));
    keygen(d + QStringLiteral("/user_key"));
    keygen(d + QStringLiteral("/other_key"));
    QFile pub(d + QStringLiteral("/user_key.pub"));
    REQUIRE(pub.open(QIODevice::ReadOnly));
    const QFile::Permissions owner = QFile::ReadOwner | QFile::WriteOwner;
    write(d + QStringLiteral("/authorized_keys"), pub.readAll(), owner);
    {
        QTcpServer probe; // a free port, given back at once for sshd to take
        REQUIRE(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    // The privilege-separation directory sshd insists on (the package makes it at boot with systemd).
    QDir().mkpath(QStringLiteral("/run/sshd"));
    const QByteArray p = QByteArray::number(port);
    const QByteArray home = d.toUtf8();
    write(d + QStringLiteral("/sshd_config"),
        "Port " + p + "\nListenAddress 127.0.0.1\nHostKey " + home + "/host_key\nAuthorizedKeysFile " + home
            + "/authorized_keys\nPidFile " + home
            + "/sshd.pid\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin "
              "prohibit-password\nStrictModes no\nUsePAM no\nAcceptEnv SLURM_CONF\n",
        owner);
    const QByteArray user = qgetenv("USER").isEmpty() ? QByteArray("root") : qgetenv("USER");
    const QByteArray common = "  HostName 127.0.0.1\n  Port " + p + "\n  User " + user
        + "\n  IdentitiesOnly yes\n  StrictHostKeyChecking no\n  UserKnownHostsFile " + home
        + "/known_hosts\n  LogLevel ERROR\n  SendEnv SLURM_CONF\n";
    write(d + QStringLiteral("/ssh_config"),
        "Host " + QByteArray(Alias) + "\n" + common + "  IdentityFile " + home + "/user_key\nHost "
            + QByteArray(RefusedAlias) + "\n" + common + "  IdentityFile " + home + "/other_key\n",
        owner);
    QDir().mkpath(d + QStringLiteral("/bin"));
    write(d + QStringLiteral("/bin/ssh"),
        "#!/bin/sh\nexec /usr/bin/ssh -F '" + home + "/ssh_config' \"$@\"\n", owner | QFile::ExeOwner);
    savedPath = qgetenv("PATH");
    qputenv("PATH", home + "/bin:" + savedPath);

    sshd.setProcessChannelMode(QProcess::MergedChannels);
    sshd.start(QStringLiteral("/usr/sbin/sshd"),
        { QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"),
            d + QStringLiteral("/sshd_config") });
    REQUIRE(sshd.waitForStarted(10000));
    const bool answers = spinUntil(
        [&] {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, port);
            return s.waitForConnected(200);
        },
        10000, 50);
    INFO(sshd.readAll().toStdString());
    REQUIRE(answers);
}

SshLoopback::~SshLoopback()
{
    qputenv("PATH", savedPath);
    sshd.terminate();
    if (!sshd.waitForFinished(5000)) {
        sshd.kill();
        sshd.waitForFinished(5000);
    }
}

} // namespace codalab::test
