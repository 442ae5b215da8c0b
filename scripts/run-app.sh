#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's run command. Installs what is missing, builds, makes sure Docker answers (starting dockerd
# if it must; headless, it stops it again at the end), builds the offline sample image, then:
#   - with a display: opens CodaLab Desktop;
#   - without one: starts codalab-worker --local (the embedded local server and the worker), submits one
#     sample run, prints its output as it runs, and says how to open the window.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
scripts/ensure-docker.sh
. scripts/docker-env.sh
export DOCKER_HOST=unix://$docker_sock
scripts/build-test-image.sh

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${CODALAB_HEADLESS:-0}" != 1 ]; then
  # The worker the desktop starts outlives its window, so a dockerd started here stays up for it.
  echo "Opening CodaLab Desktop (build/app/codalab-desktop)"
  build/app/codalab-desktop "$@"
else
  # Headless: the whole product on this machine: codalab-worker --local starts the embedded
  # codalab-local-server and works for it; a sample run is submitted like `cl run -t` and followed.
  trap 'scripts/stop-docker.sh' EXIT
  echo "No display: running the product headless."
  scripts/headless-demo.sh build/app
  echo
  echo "The worker checked the run in, ran it in Docker and the local server holds its results."
  echo "To open the window, run scripts/run-app.sh in a desktop session (or start build/app/codalab-desktop there)."
fi
