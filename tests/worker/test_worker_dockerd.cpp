// SPDX-License-Identifier: GPL-3.0-or-later
// (being written)
#include <catch2/catch.hpp>
