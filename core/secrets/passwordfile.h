// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/credentials.h"

#include <QString>

namespace codalab::secrets {

/// The `--password-file` of cl-worker (and of codalab-local-server's `codalab-password`): the user name on
/// line 1, the password on line 2, both stripped of surrounding white space.
///
/// Usage: PasswordFile file(path); if (!file.load()) { print file.errorString(); exit 1; } then use
/// file.credentials(). load() refuses, as cl-worker does, a file that its group or others may read, write
/// or execute ("chmod 600 <file>"), besides a missing or unreadable file and one with fewer than two lines.
/// It reads synchronously: the file is tiny and local, and is read once at start-up.
class PasswordFile
{
public:
    enum class Error {
        None,
        Missing, ///< no such file
        Unreadable, ///< exists, but cannot be opened or read (or is not a regular file)
        TooOpen, ///< group or others have permission bits on it
        Malformed, ///< fewer than two lines, or an empty user name or password
    };

    /// Bigger than any user name and password; keeps a wrong path (a log, a device) from being read whole.
    static constexpr qint64 MaxSize = 64 * 1024;

    explicit PasswordFile(const QString &path);

    bool load();

    const QString &path() const { return m_path; }
    Error error() const { return m_error; }
    const QString &errorString() const { return m_errorString; }
    const Credentials &credentials() const { return m_credentials; }

private:
    bool fail(Error error, const QString &message);

    QString m_path;
    Error m_error = Error::None;
    QString m_errorString;
    Credentials m_credentials;
};

} // namespace codalab::secrets
