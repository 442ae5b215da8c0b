#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command inside a private D-Bus session bus with a fresh GNOME Keyring, created and unlocked for it:
#   tests/secrets/with-keyring.sh build/tests/test_secrets [catch args]
# HOME, XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME and XDG_RUNTIME_DIR point into a temporary directory, so
# the developer's own keyring and session bus are never touched, and everything goes when the command ends.
# The command sees CODALAB_TEST_KEYRING_PASSWORD (the new keyring's password) and CODALAB_TEST_KEYRING_DIR.
# It is test_secrets' CROSSCOMPILING_EMULATOR, which Catch's test discovery runs too: listing the tests needs
# no keyring, so --list-* commands run directly (the build then works without gnome-keyring installed).
set -euo pipefail

for arg in "$@"; do
  case "$arg" in
    --list-test-names-only | --list-tests | --list-tags | --list-reporters | -l | -t) exec "$@" ;;
  esac
done

if [ "${CODALAB_WITH_KEYRING_INNER:-}" != 1 ]; then
  for tool in dbus-run-session gnome-keyring-daemon dbus-send; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "with-keyring.sh: $tool is missing; run scripts/install-deps.sh (dbus-daemon, dbus-bin, gnome-keyring)" >&2
      exit 1
    fi
  done
  export CODALAB_WITH_KEYRING_INNER=1
  # dbus-run-session starts a session bus of its own, runs this script again inside it and stops the bus
  # afterwards; its exit status is the command's.
  exec dbus-run-session -- "$0" "$@"
fi
unset CODALAB_WITH_KEYRING_INNER

dir=$(mktemp -d "${TMPDIR:-/tmp}/codalab-keyring.XXXXXX")
keyring_pid=
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  if [ -n "$keyring_pid" ]; then
    kill "$keyring_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

export HOME="$dir/home" XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache"
export XDG_RUNTIME_DIR="$dir/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$dir" "$XDG_RUNTIME_DIR"
# No display: a keyring prompt must fail rather than wait for someone to answer it.
unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
export CODALAB_TEST_KEYRING_DIR="$dir"
CODALAB_TEST_KEYRING_PASSWORD="keyring-$RANDOM$RANDOM"
export CODALAB_TEST_KEYRING_PASSWORD

# With no login keyring yet, --unlock creates one with this password and makes it the default collection.
# The daemon forks into the background and leaves the bus when the bus goes away.
if ! printf '%s' "$CODALAB_TEST_KEYRING_PASSWORD" \
  | gnome-keyring-daemon --unlock --components=secrets >"$dir/keyring-daemon.log" 2>&1; then
  echo "with-keyring.sh: gnome-keyring-daemon failed:" >&2
  cat "$dir/keyring-daemon.log" >&2
  exit 1
fi

owner_pid() {
  dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null \
    | awk '{ print $2 }'
}
# Wait until the daemon owns org.freedesktop.secrets, so the first test does not race its start.
for _ in $(seq 1 100); do
  keyring_pid=$(owner_pid || true)
  [ -n "$keyring_pid" ] && break
  sleep 0.1
done
if [ -z "$keyring_pid" ]; then
  echo "with-keyring.sh: gnome-keyring-daemon did not register org.freedesktop.secrets" >&2
  cat "$dir/keyring-daemon.log" >&2
  exit 1
fi

status=0
"$@" || status=$?
exit "$status"
