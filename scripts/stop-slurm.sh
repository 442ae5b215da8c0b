#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stops what ensure-slurm.sh started (slurmd, slurmctld, munged), after cancelling the test jobs left over.
set -uo pipefail
. "$(cd "$(dirname "$0")" && pwd)/slurm-env.sh"
[ -f "$state_dir/slurmctld.pid" ] && scancel --me >/dev/null 2>&1
for daemon in slurmd slurmctld munged; do
  stop_recorded ensure-slurm $daemon "$state_dir/$daemon.pid" 50
done
exit 0
