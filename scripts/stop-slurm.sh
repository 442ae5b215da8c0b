#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stops what ensure-slurm.sh started (slurmd, slurmctld, munged), after cancelling the test jobs left over.
set -uo pipefail
. "$(cd "$(dirname "$0")" && pwd)/slurm-env.sh"
[ -f "$state_dir/slurmctld.pid" ] && scancel --me >/dev/null 2>&1
for daemon in slurmd slurmctld munged; do
  pidfile=$state_dir/$daemon.pid
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  echo "stop-slurm: stopping $daemon (pid $pid), started by ensure-slurm.sh"
  as_root kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 50); do as_root kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  as_root kill -KILL "$pid" 2>/dev/null
  rm -f "$pidfile"
done
exit 0
