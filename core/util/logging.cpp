// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/logging.h"

Q_LOGGING_CATEGORY(lcDocker, "codalab.docker", QtInfoMsg)
