#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stops dockerd if ensure-docker.sh started it; leaves a daemon that was already running alone.
set -uo pipefail
. "$(cd "$(dirname "$0")" && pwd)/docker-env.sh"
stop_recorded ensure-docker dockerd "$state_dir/dockerd.pid" 300
exit 0
