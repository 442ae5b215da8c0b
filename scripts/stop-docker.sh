#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stops dockerd if ensure-docker.sh started it; leaves a daemon that was already running alone.
set -uo pipefail
. "$(cd "$(dirname "$0")" && pwd)/docker-env.sh"
pidfile=$state_dir/dockerd.pid
[ -f "$pidfile" ] || exit 0
pid=$(cat "$pidfile")
echo "stop-docker: stopping dockerd (pid $pid), started by ensure-docker.sh"
as_root kill -TERM "$pid" 2>/dev/null
for _ in $(seq 1 60); do as_root kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
as_root kill -KILL "$pid" 2>/dev/null
rm -f "$pidfile"
exit 0
