#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The product headless, from the executables in BINDIR (build/app for run-app.sh, /usr/bin for the
# installed package): codalab-worker --local starts the embedded codalab-local-server and works for it, a
# sample run is submitted like `cl run -t` and followed to `ready`, and the worker's status is printed.
# Needs a Docker daemon that answers and the offline image (ensure-docker.sh, build-test-image.sh).
# Exits with the submit's status: 0 when the run finished ready.
set -euo pipefail
bindir=${1:?usage: headless-demo.sh BINDIR}
image=codalab-test/busybox:latest
demo=$(mktemp -d /tmp/codalab-demo.XXXXXX)
echo "Starting the local server and the worker headless (files in $demo)."
echo "\$ codalab-worker --local --local-data-dir $demo/server --work-dir $demo/worker &"
"$bindir/codalab-worker" --local --local-data-dir "$demo/server" --work-dir "$demo/worker" --id demo \
    --control-socket "$demo/worker.sock" --no-network >"$demo/worker.log" 2>&1 &
worker=$!
for _ in $(seq 1 150); do [ -s "$demo/server/server-url" ] && [ -S "$demo/worker.sock" ] && break; sleep 0.2; done
cmd='echo "Hello from a CodaLab run"; echo "running as uid $(id -u) on $(uname -sm)"; ls /'
echo "\$ codalab-worker --local-data-dir $demo/server submit --request-docker-image $image '$cmd'"
rc=0
"$bindir/codalab-worker" --local-data-dir "$demo/server" submit --request-docker-image "$image" "$cmd" || rc=$?
echo "\$ codalab-worker --control-socket $demo/worker.sock status"
"$bindir/codalab-worker" --control-socket "$demo/worker.sock" status || true
"$bindir/codalab-worker" --control-socket "$demo/worker.sock" stop >/dev/null || kill "$worker"
wait "$worker" || true
if [ "$rc" != 0 ]; then
  echo "The sample run did not finish as ready (exit $rc); the worker's log:" >&2
  cat "$demo/worker.log" >&2
fi
exit "$rc"
