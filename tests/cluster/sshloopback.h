// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QTemporaryDir>

namespace codalab::test {

/// A login node for the tests: a real sshd of this machine on a free loopback port, with host and user keys
/// of its own, and the test's ssh "user configuration" for it (Host `Alias`: that port, that key, no password
/// ever asked). The configuration reaches every ssh this process starts (and the processes it starts) through
/// an `ssh` on PATH that adds `-F config` to the real ssh: a user's ~/.ssh/config stays untouched. SLURM_CONF
/// is sent along (SendEnv/AcceptEnv) so the login node's Slurm is the test cluster.
///
/// Usage: construct (REQUIREs sshd to answer), then use Alias as the ssh host; destroying it stops sshd and
/// restores PATH.
struct SshLoopback
{
    static constexpr const char *Alias = "codalab-test-login";

    SshLoopback();
    ~SshLoopback();

    /// Another alias to the same port whose key sshd does not accept: BatchMode makes it fail at once.
    static constexpr const char *RefusedAlias = "codalab-test-refused";

    QTemporaryDir dir;
    QProcess sshd;
    quint16 port = 0;
    QByteArray savedPath;
};

} // namespace codalab::test
