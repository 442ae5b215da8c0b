// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// One logging category per component; enable with QT_LOGGING_RULES="codalab.docker.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcDocker)
Q_DECLARE_LOGGING_CATEGORY(lcWorker)
Q_DECLARE_LOGGING_CATEGORY(lcWorkerRun)
Q_DECLARE_LOGGING_CATEGORY(lcWorkerCache)
Q_DECLARE_LOGGING_CATEGORY(lcControl)
