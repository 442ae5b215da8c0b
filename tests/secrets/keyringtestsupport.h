// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/secretjob.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace codalab::test {

/// Helpers for the SecretStore tests, which run inside tests/secrets/with-keyring.sh: a private session bus
/// with a fresh GNOME Keyring whose password is in CODALAB_TEST_KEYRING_PASSWORD.
struct KeyringTestSupport
{
    /// REQUIREs that the test runs inside with-keyring.sh (never against the developer's own keyring).
    static void requireTestKeyring();
    /// Waits for the job's finished() and returns its result; REQUIREs that it came within timeoutMs.
    static secrets::SecretResult waitForResult(secrets::SecretJob *job, int timeoutMs = 20000);
    /// The object path of the Secret Service's default collection.
    static QString defaultCollection();
    /// Locks the default collection over D-Bus, as the screen locker or "Lock" in Seahorse would.
    static void lockDefaultCollection();
    /// Unlocks it with the test keyring's password, through GNOME Keyring's own (prompt-free) interface.
    static void unlockDefaultCollection();
    static bool isDefaultCollectionLocked();
    /// Files under `dir` (recursively) whose bytes contain `needle`.
    static QStringList filesContaining(const QString &dir, const QByteArray &needle);
};

} // namespace codalab::test
