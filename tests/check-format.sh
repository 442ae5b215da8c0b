#!/usr/bin/env bash
# Fails when a tracked C++ file is not as clang-format (config at the repo root) would write it.
set -u
clang_format=${1:-clang-format}
files=$(git ls-files --cached --others --exclude-standard "*.cpp" "*.h" 2>/dev/null || find core ui app tests -name '*.cpp' -o -name '*.h')
bad=0
for f in $files; do
  if ! "$clang_format" --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run: $clang_format -i $f)"
    bad=1
  fi
done
exit $bad
