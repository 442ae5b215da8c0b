#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what CodaLab Desktop needs to build, test and run, from Debian 12 packages only.
# Idempotent: does nothing (not even apt-get update) when everything is already there.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config git curl ca-certificates
  qt6-base-dev qt6-base-dev-tools libgl-dev qt6-charts-dev libqt6opengl6-dev
  libhttp-parser-dev   # the local server's HTTP/1.1 request parsing
  libqt6sql6-sqlite qtkeychain-qt6-dev
  libsecret-1-0   # QtKeychain loads it at run time for the Secret Service; without it only KWallet is tried
  libarchive-dev libcurl4-openssl-dev zlib1g-dev
  libdeflate-dev   # the blocks of the parallel gzip writer (core/util/parallelgzipwriter.cpp)
  # tests
  catch2 clang-format util-linux
  pigz python3   # the packing benchmark's baseline, and the test that Python's tarfile reads our archives
  clang libclang-rt-14-dev   # the sanitizer build and the libFuzzer targets (scripts/run-fuzz.sh)
  lld ccache   # a faster linker, and compilations kept between runs of the build (scripts/ccache-env.sh)
  # the keyring tests: a private session bus with a fresh GNOME Keyring (tests/secrets/with-keyring.sh)
  dbus-daemon dbus-bin gnome-keyring libsecret-tools
  # the Debian package (scripts/package-check.sh) and the checks of its desktop integration files
  dpkg-dev file lintian desktop-file-utils appstream libxml2-utils systemd man-db
  # runtime: Docker, and what the offline test/sample image is made of
  docker.io busybox-static bash-static
  # the worker manager's tests: a one-node Slurm cluster on this machine (scripts/ensure-slurm.sh)
  slurm-wlm munge
  # ... and a login node reached over ssh: a real sshd on the loopback (tests/cluster/sshloopback.cpp)
  openssh-server openssh-client
  libqt6svg6 fonts-dejavu-core   # the SVG icon, and a font for offscreen screenshots
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
echo "install-deps: installing ${missing[*]}"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
