#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's test command, and all that .ci/run calls. On a fresh Debian 12 machine it installs what
# it needs, then:
#   1. builds everything with -Werror and runs every test (the docker fixture starts dockerd when no
#      daemon answers and stops it afterwards) and the benchmark, which prints its figures;
#   2. builds the Debian package from it, checks it with lintian, installs it with apt, runs a run to ready
#      from the installed /usr/bin, and removes it (scripts/package-check.sh);
#   3. builds core and the headless executables with clang and CODALAB_BUILD_GUI=OFF under AddressSanitizer +
#      UBSan (at low priority while step 1's tests run), proving core needs no widget library, runs their
#      tests again, and runs each libFuzzer target of tests/fuzz for 60 s on its committed seeds
#      (scripts/run-fuzz.sh).
# While iterating, CODALAB_SKIP_PACKAGE=1 skips step 2, CODALAB_SKIP_FUZZ=1 the fuzzing and
# CODALAB_SKIP_SANITIZERS=1 all of step 3 (which leaves out
# the checks that do not depend on the build: formatting, installer files). CODALAB_SKIP_BENCH=1 skips
# running the benchmarks (CI does: they print figures and take two minutes; they are still built and
# compiled cleanly).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${CODALAB_JOBS:-2}
# Each stage says when it started, so a slow loop shows where its time goes. The sanitizer build (below) is
# stopped too when the run ends early.
stage() { printf '== %s == (at %d s)\n' "$1" "$SECONDS"; }
asan_pid=
trap '[ -z "$asan_pid" ] || kill "$asan_pid" 2>/dev/null || true; printf "run-tests: %d s in all\n" "$SECONDS"' EXIT

scripts/install-deps.sh

stage "build (GUI, -Werror)"
scripts/build.sh

# The sanitizer build compiles while the tests run: they mostly wait on Docker and on timers, and the build
# runs at the lowest CPU priority, so the tests get the processor whenever they want it. Its output goes to
# build/sanitizer-build.log and is shown if it fails.
if [ "${CODALAB_SKIP_SANITIZERS:-0}" != 1 ]; then
  # clang, so that the same compilation of core serves the unit tests under the sanitizers and the
  # libFuzzer targets (-fsanitize=fuzzer-no-link instruments everything for coverage; only tests/fuzz links
  # libFuzzer's main).
  stage "build (clang, CODALAB_BUILD_GUI=OFF, AddressSanitizer + UBSan, libFuzzer targets), beside the tests"
  . scripts/ccache-env.sh
  (
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ "${ccache_launcher[@]}" \
      -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link -DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only \
      -DCODALAB_BUILD_GUI=OFF -DCODALAB_SANITIZE=ON \
      -DCODALAB_BUILD_FUZZ=ON -DCODALAB_BUILD_BENCH=OFF -DCODALAB_WERROR=ON >/dev/null
    nice -n 19 cmake --build build-asan -j"$jobs"
  ) >build/sanitizer-build.log 2>&1 &
  asan_pid=$!
fi
wait_for_sanitizer_build() {
  [ -n "$asan_pid" ] || return 0
  if ! wait "$asan_pid"; then
    tail -n 60 build/sanitizer-build.log >&2
    echo "run-tests: the sanitizer build failed (build/sanitizer-build.log)" >&2
    exit 1
  fi
  asan_pid=
  stage "sanitizer build done"
}

stage "tests"
ctest --test-dir build --output-on-failure -j"$jobs" -LE bench
wait_for_sanitizer_build
if [ "${CODALAB_SKIP_BENCH:-0}" != 1 ]; then
  stage "benchmarks (figures, never a failure on time)"
  ctest --test-dir build --output-on-failure -L bench --verbose | grep -E '^[0-9]+: ' | sed 's/^[0-9]*: //'
fi

if [ "${CODALAB_SKIP_PACKAGE:-0}" != 1 ]; then
  # The .deb from the build above: lintian, apt install, --version and a run to ready from /usr/bin, removal.
  stage "package"
  scripts/package-check.sh
fi

if [ "${CODALAB_SKIP_SANITIZERS:-0}" != 1 ]; then
  if grep -q 'Qt6Widgets_DIR:PATH=/' build-asan/CMakeCache.txt || ldd build-asan/app/codalab-worker | grep -q Widgets; then
    echo "run-tests: the CODALAB_BUILD_GUI=OFF build pulled in Qt Widgets" >&2
    exit 1
  fi
  stage "tests under sanitizers (and each fuzzer over its seeds and past crashes)"
  # The server-outage fault test waits 90 s in the pass above; here 20 s exercise the same code.
  CODALAB_TEST_OUTAGE_SECONDS=20 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE bench -E '^(clang-format|installer-)'
  if [ "${CODALAB_SKIP_FUZZ:-0}" != 1 ]; then
    # CODALAB_FUZZ_SECONDS per target (default 60), four targets at a time on the two cores: each still
    # fuzzes for its 60 s, and the pass takes two minutes instead of four.
    stage "fuzzing"
    FUZZ_BUILD_DIR=build-asan FUZZ_NO_BUILD=1 FUZZ_PARALLEL=${FUZZ_PARALLEL:-4} \
      scripts/run-fuzz.sh "${CODALAB_FUZZ_SECONDS:-60}"
  fi
fi
