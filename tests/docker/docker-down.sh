#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CTest fixture clean-up: removes what the tests left behind, and stops dockerd if the set-up started it.
set -uo pipefail
scripts=$(cd "$(dirname "$0")/../../scripts" && pwd)
. "$scripts/docker-env.sh"
if docker_ping; then
  export DOCKER_HOST=unix://$docker_sock
  left=$(docker ps -aq --filter label=codalab-test 2>/dev/null)
  [ -n "$left" ] && docker rm -f $left >/dev/null 2>&1
  nets=$(docker network ls -q --filter label=codalab-test 2>/dev/null)
  [ -n "$nets" ] && docker network rm $nets >/dev/null 2>&1
fi
"$scripts/stop-docker.sh"
