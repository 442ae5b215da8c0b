#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package from ./build (scripts/build.sh first), checks it with lintian (no errors),
# installs it with apt as a user would, runs every executable's --version and the headless smoke test (the
# local server, the worker, one run to ready) from the installed paths, then removes it again and checks
# what the removal leaves (the user's data, nothing of the package). Needs root or sudo (apt).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/docker-env.sh

echo "== package: cpack =="
rm -f build/codalab-desktop_*.deb
(cd build && cpack -G DEB >/dev/null)
deb=$(ls build/codalab-desktop_*.deb)
echo "package-check: built $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --field "$deb" Package Version Architecture Depends Recommends
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
for path in ./usr/bin/codalab-desktop ./usr/bin/codalab-worker ./usr/bin/codalab-local-server \
    ./usr/bin/codalab-worker-manager ./usr/share/man/man1/codalab-worker-manager.1.gz \
    ./usr/share/applications/org.codalab.Desktop.desktop ./usr/share/metainfo/org.codalab.Desktop.metainfo.xml \
    ./usr/share/icons/hicolor/scalable/apps/org.codalab.Desktop.svg \
    ./usr/share/icons/hicolor/symbolic/apps/org.codalab.Desktop-running-symbolic.svg \
    ./usr/lib/systemd/user/codalab-worker.service ./usr/share/man/man1/codalab-worker.1.gz \
    ./usr/lib/systemd/user/codalab-worker-manager@.service \
    ./usr/share/man/man1/codalab-desktop.1.gz ./usr/share/man/man1/codalab-local-server.1.gz \
    ./usr/share/doc/codalab-desktop/copyright ./usr/share/doc/codalab-desktop/changelog.gz; do
  grep -qxF "$path" <<<"$contents" || { echo "package-check: $deb lacks $path" >&2; exit 1; }
done
# dpkg-shlibdeps found the Qt libraries the executables link.
dpkg-deb --field "$deb" Depends | grep -q 'libqt6widgets6' \
  || { echo "package-check: Depends lacks the Qt libraries dpkg-shlibdeps should have found" >&2; exit 1; }

echo "== package: lintian =="
lintian --fail-on error --display-level ">=warning" "$deb"

echo "== package: install with apt =="
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --reinstall "./$deb" >/dev/null
dpkg-query -W codalab-desktop
for exe in codalab-worker codalab-local-server codalab-desktop codalab-worker-manager; do
  [ "$(command -v $exe)" = /usr/bin/$exe ] || { echo "package-check: $exe is not /usr/bin/$exe on PATH" >&2; exit 1; }
  printf '%s: ' $exe
  QT_QPA_PLATFORM=offscreen /usr/bin/$exe --version
done
man -w codalab-worker codalab-local-server codalab-desktop codalab-worker-manager >/dev/null
appstreamcli validate --no-net /usr/share/metainfo/org.codalab.Desktop.metainfo.xml >/dev/null

echo "== package: headless smoke test from /usr/bin =="
scripts/ensure-docker.sh
export DOCKER_HOST=unix://$docker_sock
scripts/build-test-image.sh >/dev/null
rc=0
scripts/headless-demo.sh /usr/bin || rc=$?
scripts/stop-docker.sh # only if ensure-docker.sh started it

echo "== package: remove =="
as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq codalab-desktop >/dev/null
for path in /usr/bin/codalab-worker /usr/bin/codalab-desktop /usr/lib/systemd/user/codalab-worker.service; do
  [ ! -e "$path" ] || { echo "package-check: $path is still there after apt-get remove" >&2; exit 1; }
done
[ "$rc" = 0 ] || { echo "package-check: the smoke test from the installed package failed" >&2; exit "$rc"; }
echo "package-check: built, lintian-clean, installed, ran a run to ready from /usr/bin, removed"
