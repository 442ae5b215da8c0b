// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace codalab::test {

/// Runs the Catch2 session on the command line (support/catchimpl.cpp, where Catch2's implementation is).
int runCatch(int argc, char *argv[]);

} // namespace codalab::test
