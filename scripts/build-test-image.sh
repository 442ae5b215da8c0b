#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds codalab-test/busybox:latest offline: Debian's busybox-static with every applet linked, and
# bash-static as /bin/bash, imported from a tar stream. Nothing is pulled from a registry.
set -euo pipefail
image=codalab-test/busybox:latest
# Rebuilt when this script changes, so an old image never hides a change to it.
recipe=$(sha256sum "$0" | cut -c1-12)
if [ "$(docker image inspect --format '{{index .Config.Labels "codalab.recipe"}}' "$image" 2>/dev/null)" = "$recipe" ]; then
  echo "build-test-image: $image is up to date"
  exit 0
fi
busybox=$(command -v busybox || true)
[ -x /bin/busybox ] && busybox=/bin/busybox
bash_static=/bin/bash-static
[ -n "$busybox" ] && "$busybox" --list >/dev/null 2>&1 || { echo "build-test-image: busybox-static is missing" >&2; exit 1; }
[ -x "$bash_static" ] || { echo "build-test-image: bash-static is missing" >&2; exit 1; }
ldd "$busybox" >/dev/null 2>&1 && { echo "build-test-image: $busybox is not static (install busybox-static)" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,tmp,etc,proc,sys,dev}
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
cp "$bash_static" "$root/bin/bash"
ln -sf bash "$root/bin/sh"
printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
tar -C "$root" --owner=0 --group=0 -c . | docker import --change "LABEL codalab.recipe=$recipe" \
  --change 'ENV PATH=/bin' - "$image" >/dev/null
echo "build-test-image: built $image ($(docker image inspect --format '{{.Size}}' "$image") bytes)"
