#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's run command. Installs what is missing, builds, makes sure Docker answers (starting dockerd
# if it must, and stopping it again at the end), builds the offline sample image, then:
#   - with a display: opens CodaLab Desktop;
#   - without one: runs the headless engine's Docker check, which runs a sample container with no network
#     and prints its output, and says how to open the window.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
scripts/ensure-docker.sh
trap 'scripts/stop-docker.sh' EXIT
. scripts/docker-env.sh
export DOCKER_HOST=unix://$docker_sock
scripts/build-test-image.sh
image=codalab-test/busybox:latest

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${CODALAB_HEADLESS:-0}" != 1 ]; then
  echo "Opening CodaLab Desktop (build/app/codalab-desktop)"
  build/app/codalab-desktop "$@"
else
  echo "No display: running the headless engine instead."
  echo "\$ codalab-worker --check-docker $image"
  build/app/codalab-worker --check-docker "$image"
  echo
  echo "To open the window, run scripts/run-app.sh in a desktop session (or start build/app/codalab-desktop there)."
fi
