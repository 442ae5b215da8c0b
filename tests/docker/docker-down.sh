#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CTest fixture clean-up: removes what the tests left behind and stops dockerd if docker-up.sh started it.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/docker-env.sh"
export DOCKER_HOST=unix://$docker_sock

if docker_ping; then
  left=$(docker ps -aq --filter label=codalab-test 2>/dev/null)
  [ -n "$left" ] && docker rm -f $left >/dev/null 2>&1
  nets=$(docker network ls -q --filter label=codalab-test 2>/dev/null)
  [ -n "$nets" ] && docker network rm $nets >/dev/null 2>&1
fi
pidfile=$state_dir/dockerd.pid
if [ -f "$pidfile" ]; then
  pid=$(cat "$pidfile")
  echo "docker-down: stopping the dockerd (pid $pid) that docker-up.sh started"
  as_root kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 60); do as_root kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  as_root kill -KILL "$pid" 2>/dev/null
  rm -f "$pidfile"
else
  echo "docker-down: leaving the daemon that was already running"
fi
exit 0
