// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcessEnvironment>
#include <QString>

namespace codalab::secrets {

/// A user name and password for the password grant, held in memory only (as cl-worker keeps them, to log in
/// again when its token runs out).
///
/// Usage: from a PasswordFile, from the environment (fromEnvironment()), or from a login dialog; pass it on
/// and let it go out of scope. Never write it to settings or logs.
struct Credentials
{
    QString username;
    QString password;

    bool isComplete() const { return !username.isEmpty() && !password.isEmpty(); }

    /// CODALAB_USERNAME and CODALAB_PASSWORD, as cl and cl-worker read them. Either may be missing (then
    /// empty): cl-worker prompts for what is missing, so a caller can ask for just that.
    static Credentials fromEnvironment(
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
};

} // namespace codalab::secrets
