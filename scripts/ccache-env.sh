# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the build scripts: ccache_launcher holds the CMake option that compiles through ccache when it is
# installed (scripts/install-deps.sh installs it), so a second run of the README's commands recompiles only
# what changed, even after a fresh configure or in another checkout. Paths are hashed relative to the
# checkout, so two checkouts share the cache. CODALAB_NO_CCACHE=1 turns it off.
ccache_launcher=()
if [ "${CODALAB_NO_CCACHE:-0}" != 1 ] && command -v ccache >/dev/null; then
  # pch_defines and time_macros: what ccache needs to cache compilations that use a precompiled header.
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=pch_defines,time_macros
  ccache_launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
