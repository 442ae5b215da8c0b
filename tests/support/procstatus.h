// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace codalab::test {

/// A "VmRSS:"-style field of /proc/<pid>/status (pid 0: this process), in KiB; -1 when absent.
qint64 procStatusKiB(qint64 pid, const char *field);

/// "load average 0.53 1.57 1.73": what every benchmark prints at its start, since the machine is shared.
QByteArray loadAverageText();

} // namespace codalab::test
