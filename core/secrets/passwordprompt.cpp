// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/passwordprompt.h"

#include <QByteArray>

#include <termios.h>
#include <unistd.h>

namespace codalab::secrets {

namespace {

/// One line without its end, or nullopt at the end of input.
std::optional<QByteArray> readLine(FILE *in)
{
    QByteArray line;
    for (int c = std::fgetc(in); c != EOF; c = std::fgetc(in)) {
        if (c == '\n') {
            return line;
        }
        line += char(c);
    }
    return line.isEmpty() ? std::nullopt : std::optional(line);
}

/// Turns terminal echo off for as long as it lives.
class NoEcho
{
public:
    explicit NoEcho(int fd)
        : m_fd(fd)
    {
        m_ok = ::tcgetattr(fd, &m_saved) == 0;
        if (m_ok) {
            termios quiet = m_saved;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            ::tcsetattr(fd, TCSAFLUSH, &quiet);
        }
    }
    ~NoEcho()
    {
        if (m_ok) {
            ::tcsetattr(m_fd, TCSAFLUSH, &m_saved);
        }
    }
    NoEcho(const NoEcho &) = delete;
    NoEcho &operator=(const NoEcho &) = delete;

private:
    int m_fd;
    termios m_saved {};
    bool m_ok = false;
};

} // namespace

std::optional<QString> PasswordPrompt::readNew(const QString &prompt, QString *error, FILE *in, FILE *out)
{
    const int fd = ::fileno(in);
    if (!::isatty(fd)) {
        auto line = readLine(in);
        if (line && line->endsWith('\r')) {
            line->chop(1);
        }
        if (!line || line->isEmpty()) {
            *error = QStringLiteral("no password on standard input (give it as one line)");
            return std::nullopt;
        }
        return QString::fromUtf8(*line);
    }
    std::optional<QByteArray> first;
    std::optional<QByteArray> second;
    {
        NoEcho hidden(fd);
        std::fprintf(out, "%s", prompt.toLocal8Bit().constData());
        std::fflush(out);
        first = readLine(in);
        std::fprintf(out, "\nRepeat it: ");
        std::fflush(out);
        second = readLine(in);
        std::fprintf(out, "\n");
    }
    if (!first || first->isEmpty()) {
        *error = QStringLiteral("the password is empty");
        return std::nullopt;
    }
    if (first != second) {
        *error = QStringLiteral("the two passwords differ; nothing was changed");
        return std::nullopt;
    }
    return QString::fromUtf8(*first);
}

} // namespace codalab::secrets
