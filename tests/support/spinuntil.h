// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

namespace codalab::test {

/// Runs a real event loop until `condition` holds, checking it every `stepMs`; false after timeoutMs.
/// Not QTest::qWait: that sleeps up to 10 ms between passes, which adds the delay to every step of an engine,
/// server or uploader living in the same process (and skews benchmarks). The condition may itself wait in a
/// nested loop (an HTTP call); it is never re-entered meanwhile.
bool spinUntil(const std::function<bool()> &condition, int timeoutMs, int stepMs = 5);

} // namespace codalab::test
