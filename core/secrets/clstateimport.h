// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/cllogin.h"

#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace codalab::secrets {

/// Reads, and only reads, the logins the `cl` command line client keeps in its state file, so a user who has
/// run `cl work` can start CodaLab Desktop without logging in again.
///
/// Usage: ClStateImport import(ClStateImport::defaultStatePath()); if (import.load()) use import.logins();
/// else show import.errorString() (error() tells a missing file, the common case, from a broken one). The
/// file is `auth[<address>] = {"username", "token_info": {"access_token", "refresh_token", "token_type",
/// "scope", "expires_at"}}` (codalab/lib/codalab_manager.py). A malformed file fails with a message; an
/// entry of the wrong shape is skipped and named in warnings(). Synchronous: the file is small and local.
class ClStateImport
{
public:
    enum class Error {
        None,
        Missing, ///< no state file: cl has never logged in here
        Unreadable, ///< exists but cannot be read
        Malformed, ///< not JSON, or not the shape cl writes
    };

    /// Bigger than any real state file; keeps a wrong path from being read whole.
    static constexpr qint64 MaxSize = 16 * 1024 * 1024;

    /// Where cl keeps its state: $CODALAB_STATE, else $CODALAB_HOME/state.json, else ~/.codalab/state.json
    /// (a leading "~" expanded, as cl's path_util.normalize does).
    static QString defaultStatePath(
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

    explicit ClStateImport(const QString &statePath);

    bool load();

    const QString &statePath() const { return m_statePath; }
    Error error() const { return m_error; }
    const QString &errorString() const { return m_errorString; }
    const QList<ClLogin> &logins() const { return m_logins; }
    const QStringList &warnings() const { return m_warnings; }

private:
    bool fail(Error error, const QString &message);

    QString m_statePath;
    Error m_error = Error::None;
    QString m_errorString;
    QList<ClLogin> m_logins;
    QStringList m_warnings;
};

} // namespace codalab::secrets
