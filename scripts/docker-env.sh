# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the Docker scripts: where the daemon listens and where the scripts keep their state.
docker_sock=/var/run/docker.sock
case "${DOCKER_HOST:-}" in
  unix://*) docker_sock=${DOCKER_HOST#unix://} ;;
  "") ;;
  *) echo "DOCKER_HOST=$DOCKER_HOST: only unix:// sockets are supported here" >&2; exit 1 ;;
esac
state_dir=${CODALAB_DOCKER_STATE_DIR:-${TMPDIR:-/tmp}/codalab-docker}
mkdir -p "$state_dir"
. "$(dirname "${BASH_SOURCE[0]}")/daemon-util.sh"
docker_ping() { curl -sf --max-time 3 --unix-socket "$docker_sock" http://docker/_ping >/dev/null 2>&1; }
