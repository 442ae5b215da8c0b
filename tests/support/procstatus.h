// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace codalab::test {

/// A "VmRSS:"-style field of /proc/<pid>/status (pid 0: this process), in KiB; -1 when absent.
qint64 procStatusKiB(qint64 pid, const char *field);

} // namespace codalab::test
