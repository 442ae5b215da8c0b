// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/secreterror.h"
#include "secrets/secretkey.h"

#include <QMetaType>
#include <QString>

namespace codalab::secrets {

/// What one SecretStore call did, and to which key.
struct SecretResult
{
    enum class Operation { Read, Write, Remove };

    Operation operation = Operation::Read;
    SecretKey key;
    SecretError error;
    QString secret; ///< what a successful read found; always empty for writes and removals
    int attempts = 0; ///< keyring attempts made: 2 when the automatic delayed retry ran

    bool ok() const { return !error.isError(); }
};

} // namespace codalab::secrets

Q_DECLARE_METATYPE(codalab::secrets::SecretResult)
