// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <cstdio>
#include <optional>

namespace codalab::secrets {

/// Reads a new password from standard input for a command-line tool: on a terminal it asks twice with the
/// typing hidden and refuses a mismatch; from a pipe it takes one line. Blocking: for command-line tools.
class PasswordPrompt
{
public:
    PasswordPrompt() = delete;

    /// The password, or nullopt and *error (empty input, a mismatch, end of input).
    static std::optional<QString> readNew(
        const QString &prompt, QString *error, FILE *in = stdin, FILE *out = stderr);
};

} // namespace codalab::secrets
