#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The desktop integration files the package installs, checked as the desktop will read them:
#   - the desktop entry passes desktop-file-validate, and its id is the one the app gives Qt
#     (setDesktopFileName), the autostart entry uses, and AppStream's launchable names;
#   - its Icon is the scalable icon in resources/icons, and each tray state has its symbolic icon;
#   - the AppStream metainfo passes appstreamcli validate;
#   - the systemd user unit passes systemd-analyze verify, restarts on failure and stops the worker with a
#     plain SIGTERM (which leaves run containers for the next start), never giving runs back.
#   - the worker manager's template unit (codalab-worker-manager@TAG) passes systemd-analyze verify, runs
#     `slurm --tag` with its instance name and the flags of its own environment file, and is not restarted
#     after a bad flag.
# Usage: check-desktop-integration.sh SOURCE_DIR BUILD_DIR WORKER_BINARY MANAGER_BINARY
set -euo pipefail
src=${1:?usage: SOURCE_DIR BUILD_DIR WORKER_BINARY MANAGER_BINARY}
build=${2:?}
worker=$(realpath "${3:?}")
manager=$(realpath "${4:?}")
for tool in desktop-file-validate appstreamcli systemd-analyze xmllint; do
  command -v $tool >/dev/null || { echo "$tool is not installed (scripts/install-deps.sh)"; exit 77; }
done
problems=0
fail() { echo "FAIL: $*" >&2; problems=$((problems + 1)); }

id=org.codalab.Desktop
desktop=$src/installer/$id.desktop
metainfo=$src/installer/$id.metainfo.xml

out=$(desktop-file-validate "$desktop" 2>&1) || true
[ -z "$out" ] || fail "desktop-file-validate $desktop: $out"
grep -q "setDesktopFileName(QStringLiteral(\"$id\"))" "$src/app/desktop/main.cpp" \
  || fail "app/desktop/main.cpp does not set the desktop file name $id"
grep -q "/autostart/$id.desktop" "$src/ui/shell/autostartfile.cpp" \
  || fail "the autostart entry is not named $id.desktop"
icon=$(sed -n 's/^Icon=//p' "$desktop")
[ -f "$src/resources/icons/$icon.svg" ] || fail "Icon=$icon has no resources/icons/$icon.svg"
grep -q "$icon.svg" "$src/resources/resources.qrc" || fail "the app does not load $icon.svg from its resources"
exec_line=$(sed -n 's/^Exec=//p' "$desktop")
[ "${exec_line%% *}" = codalab-desktop ] || fail "Exec= does not start codalab-desktop: $exec_line"
for state in available running paused snoozed draining offline error; do
  svg=$src/resources/icons/tray/$id-$state-symbolic.svg
  [ -f "$svg" ] || { fail "no symbolic tray icon for $state"; continue; }
  xmllint --noout "$svg" || fail "$svg is not well-formed"
done

out=$(appstreamcli validate --no-net "$metainfo" 2>&1) || fail "appstreamcli validate $metainfo: $out"
[ "$(xmllint --xpath 'string(/component/id)' "$metainfo")" = $id ] || fail "the metainfo's id is not $id"
[ "$(xmllint --xpath 'string(/component/launchable)' "$metainfo")" = $id.desktop ] \
  || fail "the metainfo does not launch $id.desktop"

unit=$build/installer/codalab-worker.service
[ -f "$unit" ] || fail "$unit was not configured"
# systemd-analyze checks that ExecStart's program exists: point it at the worker just built.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/runtime"
sed "s#^ExecStart=[^ ]*/codalab-worker #ExecStart=$worker #" "$unit" >"$scratch/codalab-worker.service"
grep -q "^ExecStart=$worker " "$scratch/codalab-worker.service" || fail "ExecStart does not run codalab-worker"
# Any output is a problem: an unknown key is only a warning to systemd, and the setting would be ignored.
out=$(cd "$scratch" && XDG_RUNTIME_DIR=$scratch/runtime systemd-analyze --user verify --man=no \
  ./codalab-worker.service 2>&1) || out="${out:-exit status $?}"
[ -z "$out" ] || fail "systemd-analyze verify: $out"
grep -qx 'Restart=on-failure' "$unit" || fail "the unit does not restart on failure"
grep -qx 'KillSignal=SIGTERM' "$unit" || fail "the unit does not stop the worker with SIGTERM"
! grep -q 'pass-down-termination' "$unit" || fail "the unit gives runs back when it stops"
grep -qx 'WantedBy=default.target' "$unit" || fail "the unit cannot be enabled for the user's session"

template=$build/installer/codalab-worker-manager@.service
[ -f "$template" ] || fail "$template was not configured"
# Verified as an instance (a template alone has no %i), with an environment file of its own.
mkdir -p "$scratch/config/CodaLab"
echo "CODALAB_MANAGER_ARGS=--server http://127.0.0.1:1 --password-file /dev/null" >"$scratch/config/CodaLab/manager-lab.env"
sed "s#^ExecStart=[^ ]*/codalab-worker-manager #ExecStart=$manager #" "$template" \
  >"$scratch/codalab-worker-manager@lab.service"
grep -q "^ExecStart=$manager slurm --tag %i \$CODALAB_MANAGER_ARGS$" "$scratch/codalab-worker-manager@lab.service" \
  || fail "the manager's unit does not run codalab-worker-manager slurm --tag <instance> with its flags"
out=$(cd "$scratch" && XDG_RUNTIME_DIR=$scratch/runtime XDG_CONFIG_HOME=$scratch/config systemd-analyze --user \
  verify --man=no ./codalab-worker-manager@lab.service 2>&1) || out="${out:-exit status $?}"
[ -z "$out" ] || fail "systemd-analyze verify (manager): $out"
grep -qx 'EnvironmentFile=%E/CodaLab/manager-%i.env' "$template" || fail "the manager's unit reads no flags file"
grep -qx 'RestartPreventExitStatus=2' "$template" || fail "the manager's unit restarts after a bad flag"
grep -qx 'WantedBy=default.target' "$template" || fail "the manager's unit cannot be enabled"

if [ "$problems" -gt 0 ]; then
  echo "$problems problem(s) in the desktop integration files" >&2
  exit 1
fi
echo "desktop entry, icons, AppStream metainfo and the systemd user unit are valid"
