// SPDX-License-Identifier: GPL-3.0-or-later
// Catch2's implementation, compiled once for every test executable (it takes some 25 s at -O2, and the two
// test mains each compiled it): testmain.cpp's main() creates the Qt application, then calls runCatch().
#define CATCH_CONFIG_RUNNER
#include "support/catchrunner.h"

#include <catch2/catch.hpp>

namespace codalab::test {

int runCatch(int argc, char *argv[])
{
    return Catch::Session().run(argc, argv);
}

} // namespace codalab::test
