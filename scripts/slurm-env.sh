# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the Slurm scripts: where the test cluster keeps its configuration, state and logs. The cluster is
# this machine alone (one node), on ports of its own so that it never meets a Slurm already installed here.
state_dir=${CODALAB_SLURM_STATE_DIR:-${TMPDIR:-/tmp}/codalab-slurm}
mkdir -p "$state_dir"
state_dir=$(cd "$state_dir" && pwd) # slurmd runs jobs from its spool dir: a relative path would not be found
export SLURM_CONF=$state_dir/slurm.conf
. "$(dirname "${BASH_SOURCE[0]}")/daemon-util.sh"
slurm_ready() { sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; }
