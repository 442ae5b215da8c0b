// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/passwordfile.h"

#include <QFile>

#include <sys/stat.h>

namespace codalab::secrets {

PasswordFile::PasswordFile(const QString &path)
    : m_path(path)
{ }

bool PasswordFile::load()
{
    m_error = Error::None;
    m_errorString.clear();
    m_credentials = {};

    QFile file(m_path);
    if (!file.exists()) {
        return fail(Error::Missing, QStringLiteral("Password file %1 does not exist.").arg(m_path));
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(Error::Unreadable,
            QStringLiteral("Cannot open password file %1: %2").arg(m_path, file.errorString()));
    }
    // The mode is checked on the open file, not the path, so a file swapped in between cannot slip by.
    struct stat info
    {
    };
    if (::fstat(file.handle(), &info) != 0 || !S_ISREG(info.st_mode)) {
        return fail(Error::Unreadable, QStringLiteral("Password file %1 is not a regular file.").arg(m_path));
    }
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        return fail(Error::TooOpen,
            QStringLiteral("Permissions on password file %1 are too lax (%2): only its owner may access it. "
                           "Run: chmod 600 %1")
                .arg(m_path, QStringLiteral("0%1").arg(info.st_mode & 07777, 3, 8, QLatin1Char('0'))));
    }
    const QByteArray content = file.read(MaxSize + 1);
    if (content.size() > MaxSize) {
        return fail(Error::Malformed,
            QStringLiteral("Password file %1 is larger than %2 bytes; it should hold two lines.")
                .arg(m_path)
                .arg(MaxSize));
    }
    QList<QByteArray> lines = content.split('\n');
    // A final newline ends the last line rather than starting another: "user\n" is one line.
    if (content.endsWith('\n')) {
        lines.removeLast();
    }
    if (lines.size() < 2) {
        return fail(Error::Malformed,
            QStringLiteral("Password file %1 has fewer than two lines: it must hold the user name on line 1 "
                           "and the password on line 2.")
                .arg(m_path));
    }
    Credentials credentials { QString::fromUtf8(lines[0]).trimmed(), QString::fromUtf8(lines[1]).trimmed() };
    if (credentials.username.isEmpty() || credentials.password.isEmpty()) {
        return fail(Error::Malformed,
            QStringLiteral("Password file %1 must hold the user name on line 1 and the password on line 2; "
                           "one of them is empty.")
                .arg(m_path));
    }
    m_credentials = std::move(credentials);
    return true;
}

bool PasswordFile::fail(Error error, const QString &message)
{
    m_error = error;
    m_errorString = message;
    return false;
}

} // namespace codalab::secrets
