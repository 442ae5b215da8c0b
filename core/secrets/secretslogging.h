// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// The secrets component's logging category (core/util/logging.h holds the others); enable with
// QT_LOGGING_RULES="codalab.secrets.debug=true". Secrets themselves are never logged, only keys and outcomes.
Q_DECLARE_LOGGING_CATEGORY(lcSecrets)
