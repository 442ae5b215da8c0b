#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes sure the one-node test Slurm cluster answers: munged (started unless one runs), slurmctld and slurmd
# (started unless this script's ones run), with a slurm.conf for this machine in $CODALAB_SLURM_STATE_DIR.
# What it started is recorded in *.pid files there, so that stop-slurm.sh stops only that. Use the cluster
# with SLURM_CONF=$state_dir/slurm.conf (scripts/slurm-env.sh exports it).
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/slurm-env.sh"

for tool in munged slurmctld slurmd sbatch; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "ensure-slurm: $tool is not installed (run scripts/install-deps.sh)" >&2; exit 1; }
done
if slurm_ready; then
  echo "ensure-slurm: the test cluster answers ($SLURM_CONF)"
  exit 0
fi

# munge: the key (0400, munge:munge) and the socket directory, then the daemon as the munge user.
if ! munge -n >/dev/null 2>&1; then
  if [ ! -s /etc/munge/munge.key ]; then
    as_root mkdir -p /etc/munge
    as_root dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
  fi
  as_root chown munge:munge /etc/munge /etc/munge/munge.key
  as_root chmod 0700 /etc/munge
  as_root chmod 0400 /etc/munge/munge.key
  as_root mkdir -p /run/munge /var/lib/munge /var/log/munge
  as_root chown munge:munge /run/munge /var/lib/munge /var/log/munge
  as_root chmod 0755 /run/munge
  as_root runuser -u munge -- /usr/sbin/munged --force
  for _ in $(seq 1 40); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done
  # munged's own pid file: pgrep would also list a munged zombie an earlier, killed munged left behind.
  { cat /run/munge/munged.pid 2>/dev/null || pgrep -xn munged; } | head -1 >"$state_dir/munged.pid"
  echo "ensure-slurm: started munged (pid $(cat "$state_dir/munged.pid"))"
fi

node=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) - 1024 ))
[ "$memory" -ge 1024 ] || memory=1024
as_root mkdir -p "$state_dir/state" "$state_dir/spool"
cat >"$state_dir/slurm.conf" <<CONF
# The one-node cluster of CodaLab Desktop's tests (scripts/ensure-slurm.sh); accounting off, no cgroups.
ClusterName=codalabtest
SlurmctldHost=localhost
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$state_dir/state
SlurmdSpoolDir=$state_dir/spool
SlurmctldPidFile=$state_dir/slurmctld.run.pid
SlurmdPidFile=$state_dir/slurmd.run.pid
SlurmctldLogFile=$state_dir/slurmctld.log
SlurmdLogFile=$state_dir/slurmd.log
NodeName=$node CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
PartitionName=short Nodes=ALL MaxTime=1 State=UP
CONF
echo "ensure-slurm: starting slurmctld and slurmd for node $node ($cpus CPUs, $memory MB; logs in $state_dir)"
as_root env SLURM_CONF="$SLURM_CONF" bash -c "setsid slurmctld -D -c -f '$SLURM_CONF' </dev/null >'$state_dir/slurmctld.out' 2>&1 & echo \$! >'$state_dir/slurmctld.pid'"
as_root env SLURM_CONF="$SLURM_CONF" bash -c "setsid slurmd -D -f '$SLURM_CONF' </dev/null >'$state_dir/slurmd.out' 2>&1 & echo \$! >'$state_dir/slurmd.pid'"
for _ in $(seq 1 100); do
  slurm_ready && { echo "ensure-slurm: the cluster is up"; sinfo; exit 0; }
  sleep 0.2
done
echo "ensure-slurm: the cluster did not come up:" >&2
tail -20 "$state_dir/slurmctld.out" "$state_dir/slurmd.out" "$state_dir/slurmctld.log" "$state_dir/slurmd.log" >&2 2>/dev/null
exit 1
