#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Configures and builds ./build with the project's standard options (shared by run-app.sh and run-tests.sh,
# so neither rebuilds what the other built).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/ccache-env.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr -DCODALAB_WERROR=ON \
  "${ccache_launcher[@]}" >/dev/null
cmake --build build -j"${CODALAB_JOBS:-2}"
