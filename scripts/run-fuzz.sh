#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan, codalab_core instrumented for
# coverage) in build-fuzz/, and runs each for SECONDS (default 60) on a copy of its committed seed corpus
# in tests/fuzz/corpus/<target>/, so the committed corpus never grows. Prints one line of figures per
# target and exits non-zero when any target crashed, leaked, timed out or ran out of memory; the input
# that did it is named in the output (build-fuzz/crashes/...). Copy it to tests/fuzz/crashes/ once the
# fix is in, as a regression input.
#   scripts/run-fuzz.sh [SECONDS]                run every target
#   FUZZ_TARGETS="bytesize duration" scripts/run-fuzz.sh 30   run some
# CODALAB_JOBS sets the build's parallelism (default 2), FUZZ_PARALLEL how many targets fuzz at once
# (default CODALAB_JOBS).
# scripts/run-tests.sh calls it with FUZZ_BUILD_DIR=build-asan FUZZ_NO_BUILD=1: its sanitizer build is this
# clang build already.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=${CODALAB_JOBS:-2}
parallel=${FUZZ_PARALLEL:-$jobs}
build=${FUZZ_BUILD_DIR:-build-fuzz}
targets=${FUZZ_TARGETS:-"checkin logdemuxer jsonapi bytesize duration safearchive httprequest"}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: $0 [SECONDS]  (a whole number of seconds per target, default 60)" >&2
  exit 2
fi

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
  command -v clang++ >/dev/null || { echo "run-fuzz: clang++ not found (apt-get install clang)" >&2; exit 2; }
  echo "== configure $build (clang, ASan + UBSan, -fsanitize=fuzzer-no-link) =="
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link \
    -DCODALAB_SANITIZE=ON -DCODALAB_BUILD_GUI=OFF -DCODALAB_BUILD_BENCH=OFF -DCODALAB_BUILD_FUZZ=ON >/dev/null
  echo "== build =="
  build_targets=()
  for t in $targets; do build_targets+=("fuzz_$t"); done
  nice cmake --build "$build" -j"$jobs" --target "${build_targets[@]}"
fi

# halt_on_error keeps UBSan findings fatal in the code the fuzzers call, as CODALAB_SANITIZE's
# -fno-sanitize-recover does; detect_leaks stays on (the default).
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen
mkdir -p "$build/crashes"

# One target: fuzz a copy of its seeds, then write its figures line to $build/fuzz_<t>.result, and
# "FAILED" as that file's second line when it crashed, leaked, timed out or ran out of memory.
fuzz_one() {
  local t=$1
  local exe="$build/tests/fuzz/fuzz_$t" seeds="tests/fuzz/corpus/$t" work="$build/corpus/$t"
  local log="$build/fuzz_$t.log" result="$build/fuzz_$t.result"
  rm -rf "$work"
  mkdir -p "$work"
  if [ -d "$seeds" ]; then cp -R "$seeds/." "$work/"; fi
  local rc=0
  "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/crashes/$t-" "$work" >"$log" 2>&1 || rc=$?
  # The last status line: "#N DONE cov: C ft: F corp: U/Sb ... exec/s: E rss: RMb".
  local status runs speed cov ft corp line
  status=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  runs=$(grep -oE 'stat::number_of_executed_units: +[0-9]+' "$log" | awk '{print $2}' || true)
  speed=$(grep -oE 'stat::average_exec_per_sec: +[0-9]+' "$log" | awk '{print $2}' || true)
  cov=$(grep -oE 'cov: [0-9]+' <<<"$status" | awk '{print $2}' || true)
  ft=$(grep -oE 'ft: [0-9]+' <<<"$status" | awk '{print $2}' || true)
  corp=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' <<<"$status" | awk '{print $2}' || true)
  line=$(printf 'fuzz_%-12s runs %-10s exec/s %-7s cov %-6s ft %-6s corpus %s' "$t" "${runs:-?}" \
    "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}")
  if [ "$rc" -ne 0 ]; then
    # libFuzzer names the input it saved: "Test unit written to <path>".
    local artifact
    artifact=$(grep -oE 'Test unit written to .*' "$log" | sed 's/^Test unit written to //' | tail -n 1 || true)
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error:)' "$log" | head -n 5 >&2 || true
    line="$line  FAILED (exit $rc) input: ${artifact:-none written, see $log}"
    printf '%s\nFAILED\n' "$line" >"$result"
  else
    printf '%s\n' "$line" >"$result"
  fi
  echo "$line"
}

echo "== fuzzing ${seconds}s per target, $parallel at a time (logs: $build/fuzz_<target>.log) =="
for t in $targets; do
  rm -f "$build/fuzz_$t.result"
  fuzz_one "$t" &
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
done
wait || true

failed=()
summary=()
for t in $targets; do
  if [ ! -f "$build/fuzz_$t.result" ]; then
    summary+=("fuzz_$t: no result (the fuzzer did not run; see $build/fuzz_$t.log)")
    failed+=("$t")
    continue
  fi
  summary+=("$(head -n 1 "$build/fuzz_$t.result")")
  if grep -q '^FAILED$' "$build/fuzz_$t.result"; then failed+=("$t"); fi
done

echo "== summary (${seconds}s per target) =="
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "run-fuzz: FAILED: ${failed[*]} (logs in $build/fuzz_<target>.log)" >&2
  exit 1
fi
