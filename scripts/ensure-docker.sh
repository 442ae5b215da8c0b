#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes sure a Docker daemon answers on the socket (DOCKER_HOST=unix://... or /var/run/docker.sock).
# When none does, starts dockerd with no default bridge and no iptables rules, and records its pid in
# $CODALAB_DOCKER_STATE_DIR/dockerd.pid so that stop-docker.sh stops only a daemon started here.
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/docker-env.sh"

if docker_ping; then
  echo "ensure-docker: a daemon answers on $docker_sock"
  exit 0
fi
command -v dockerd >/dev/null || { echo "ensure-docker: dockerd is not installed (run scripts/install-deps.sh)" >&2; exit 1; }
echo "ensure-docker: no daemon on $docker_sock; starting dockerd (log: $state_dir/dockerd.log)"
as_root bash -c "dockerd --host unix://$docker_sock --bridge=none --iptables=false --ip6tables=false \
    >'$state_dir/dockerd.log' 2>&1 & echo \$! >'$state_dir/dockerd.pid'"
pid=$(cat "$state_dir/dockerd.pid")
for _ in $(seq 1 120); do
  docker_ping && { echo "ensure-docker: dockerd (pid $pid) is up"; exit 0; }
  as_root kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
echo "ensure-docker: dockerd did not answer /_ping:" >&2
tail -20 "$state_dir/dockerd.log" >&2
rm -f "$state_dir/dockerd.pid"
exit 1
