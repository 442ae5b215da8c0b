#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CTest fixture set-up: makes sure a Docker daemon answers and the offline test image exists.
# When no daemon answers it starts dockerd with no bridge and no iptables (tests never give a
# container a network) and notes that it did, so docker-down.sh stops only what was started here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/docker-env.sh"

if docker_ping; then
  echo "docker-up: a daemon already answers on $docker_sock"
else
  command -v dockerd >/dev/null || { echo "docker-up: dockerd is not installed (run scripts/install-deps.sh)" >&2; exit 1; }
  echo "docker-up: no daemon on $docker_sock; starting dockerd (log: $state_dir/dockerd.log)"
  as_root bash -c "dockerd --host unix://$docker_sock --bridge=none --iptables=false --ip6tables=false \
      >'$state_dir/dockerd.log' 2>&1 & echo \$! >'$state_dir/dockerd.pid'"
  for _ in $(seq 1 120); do
    docker_ping && break
    if ! kill -0 "$(cat "$state_dir/dockerd.pid")" 2>/dev/null && ! as_root kill -0 "$(cat "$state_dir/dockerd.pid")" 2>/dev/null; then
      echo "docker-up: dockerd exited:" >&2; tail -20 "$state_dir/dockerd.log" >&2; exit 1
    fi
    sleep 0.5
  done
  docker_ping || { echo "docker-up: dockerd did not answer /_ping within 60 s" >&2; tail -20 "$state_dir/dockerd.log" >&2; exit 1; }
  echo "docker-up: dockerd is up"
fi
export DOCKER_HOST=unix://$docker_sock
"$here/build-test-image.sh"
