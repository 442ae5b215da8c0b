#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CTest fixture set-up: a Docker daemon that answers (started here if none does) and the offline test image.
set -euo pipefail
scripts=$(cd "$(dirname "$0")/../../scripts" && pwd)
"$scripts/ensure-docker.sh"
. "$scripts/docker-env.sh"
DOCKER_HOST=unix://$docker_sock "$scripts/build-test-image.sh"
