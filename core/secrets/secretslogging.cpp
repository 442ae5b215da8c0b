// SPDX-License-Identifier: GPL-3.0-or-later
#include "secrets/secretslogging.h"

Q_LOGGING_CATEGORY(lcSecrets, "codalab.secrets", QtInfoMsg)
