# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by docker-env.sh and slurm-env.sh: what the scripts that start and stop the test daemons share.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# stop_recorded WHO NAME PIDFILE TENTHS: stops the daemon NAME whose pid the script WHO recorded in PIDFILE
# (SIGTERM, then SIGKILL after TENTHS tenths of a second), and forgets it. Nothing when there is no record:
# a daemon the scripts did not start is not theirs to stop.
stop_recorded() {
  local who=$1 name=$2 pidfile=$3 tenths=$4 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  echo "${who/ensure/stop}: stopping $name (pid $pid), started by $who.sh"
  as_root kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 "$tenths"); do as_root kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  as_root kill -KILL "$pid" 2>/dev/null
  rm -f "$pidfile"
}
