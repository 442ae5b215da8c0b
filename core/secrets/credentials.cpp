// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/credentials.h"

namespace codalab::secrets {

Credentials Credentials::fromEnvironment(const QProcessEnvironment &environment)
{
    // Taken as given: a password may well begin or end with a space, and cl does not strip these either.
    return Credentials { environment.value(QStringLiteral("CODALAB_USERNAME")),
        environment.value(QStringLiteral("CODALAB_PASSWORD")) };
}

} // namespace codalab::secrets
