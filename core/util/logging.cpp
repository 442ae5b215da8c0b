// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/logging.h"

Q_LOGGING_CATEGORY(lcDocker, "codalab.docker", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWorker, "codalab.worker", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWorkerRun, "codalab.worker.run", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWorkerCache, "codalab.worker.cache", QtInfoMsg)
Q_LOGGING_CATEGORY(lcControl, "codalab.worker.control", QtInfoMsg)
