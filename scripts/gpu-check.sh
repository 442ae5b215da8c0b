#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# On a machine with an NVIDIA GPU: shows what the worker's GPU detection and per-run GPU attribution see
# (nvidia-smi's raw answers to the exact queries the worker makes) and checks that the worker's parsers
# accept them (codalab-worker --gpu-report exits 1 when a line did not parse).
# Without nvidia-smi it says so and exits 0: there is nothing to check.
#
# Usage: scripts/gpu-check.sh [path/to/codalab-worker]
#   default: $CODALAB_WORKER, else build/app/codalab-worker next to this script's repository, else PATH.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
worker=${1:-${CODALAB_WORKER:-}}
if [ -z "$worker" ]; then
  if [ -x "$here/../build/app/codalab-worker" ]; then
    worker="$here/../build/app/codalab-worker"
  else
    worker=$(command -v codalab-worker || true)
  fi
fi

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-check: no nvidia-smi on PATH, so this machine offers no NVIDIA GPUs to runs; nothing to check."
  exit 0
fi

# The fields GpuInfo::queryFields() asks for, in its order.
fields=index,uuid,name,memory.total,memory.used,utilization.gpu,driver_version
status=0

section() { printf '\n== %s\n' "$*"; }
raw() {
  section "nvidia-smi $*"
  nvidia-smi "$@"
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "gpu-check: nvidia-smi $* failed with exit code $rc" >&2
    status=1
  fi
}

raw --query-gpu=$fields --format=csv,noheader,nounits
raw --query-compute-apps=pid,gpu_uuid,used_memory --format=csv,noheader,nounits
raw pmon -c 1 -s um

section "codalab-worker --gpu-report (what the worker's parsers make of it)"
if [ -z "$worker" ] || [ ! -x "$worker" ]; then
  echo "gpu-check: codalab-worker not found; build it (scripts/build.sh) or pass its path." >&2
  exit 1
fi
"$worker" --gpu-report || status=1

echo
if [ $status -eq 0 ]; then
  echo "gpu-check: OK: the worker reads this machine's nvidia-smi output."
else
  echo "gpu-check: PROBLEM: see the messages above." >&2
fi
exit $status
