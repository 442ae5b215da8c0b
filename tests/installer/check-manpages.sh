#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Keeps the man pages in installer/man honest about the executables they describe:
#   * every long option an executable's --help prints is documented in its page, written \-\-name (a real
#     hyphen-minus, so it can be copied from the rendered page);
#   * every option an OPTIONS entry of a page names still exists (a removed flag does not linger there);
#   * man-db renders the page without a warning (the command lintian's manpage check runs) and its NAME
#     line is one lexgrog can read (lintian's bad-whatis-entry).
#
# Usage: check-manpages.sh BINDIR MANDIR
#   BINDIR holds codalab-worker, codalab-local-server and, in builds with the GUI, codalab-desktop;
#   MANDIR holds codalab-worker.1 and the others. Exit 0: all good; 1: a problem, named on stderr;
#   2: bad usage; 77: man(1) or lexgrog(1) is not installed, so nothing could be checked.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 BINDIR MANDIR" >&2
    exit 2
fi
bindir=$1
mandir=$2
for tool in man lexgrog timeout; do
    if ! command -v "$tool" >/dev/null; then
        echo "check-manpages: $tool is not installed (Debian: man-db, coreutils); skipping" >&2
        exit 77
    fi
done

problems=0
problem() {
    echo "check-manpages: $*" >&2
    problems=$((problems + 1))
}

# Options any Qt application may print (QGuiApplication's, in --help-all) that are Qt's to document, not ours.
qt_generic=" --platform --platformpluginpath --platformtheme --plugin --qmljsdebugger --qwindowgeometry
 --qwindowicon --qwindowtitle --reverse --session --style --stylesheet --widgetcount --display --geometry
 --nograb --dograb --sync --fontengine --title --name --visual --ncols --cmap "

# The long options `$1 --help` prints, one a line. The GUI needs a platform even to print its help.
help_options() {
    local help
    if ! help=$(QT_QPA_PLATFORM=offscreen timeout 60 "$1" --help 2>/dev/null); then
        return 1
    fi
    grep -oE -- '--[a-z0-9-]+' <<<"$help" | sort -u
}

# The long options named in the tags of the page's OPTIONS entries (the line after each .TP), one a line,
# with hyphens as the page spells them (\-) turned back into plain ones.
documented_options() {
    awk '
        /^\.SH / { inOptions = ($0 ~ /^\.SH "?OPTIONS"?$/); next }
        inOptions && /^\.TP/ { tag = 1; next }
        inOptions && tag { print; tag = 0 }
    ' "$1" | grep -oE -- '(\\-){2}[a-z0-9]+(\\-[a-z0-9]+)*' | sed 's/\\-/-/g' | sort -u
}

check_page() {
    local exe=$1
    local program=$bindir/$exe
    local page=$mandir/$exe.1
    if [[ ! -f $page ]]; then
        problem "$page is missing"
        return
    fi
    local options
    if ! options=$(help_options "$program"); then
        problem "'$program --help' failed, so the options of $exe cannot be compared with $page"
        return
    fi
    if ! grep -qx -- '--help' <<<"$options"; then
        problem "'$program --help' printed no --help line; is it still a QCommandLineParser help?"
        return
    fi
    local option escaped
    while IFS= read -r option; do
        if [[ $qt_generic == *" $option "* ]]; then
            continue
        fi
        escaped=${option//-/\\\\-} # --slots → \\-\\-slots, a regex for the page's \-\-slots
        # The whole option: not followed by more of a longer name (\-\-local is not \-\-local\-port).
        if ! grep -qE -- "${escaped}"'([^-a-z0-9\\]|\\[^-]|$)' "$page"; then
            problem "$page does not document $option (printed by '$exe --help'); write it as ${option//-/\\-}"
        fi
    done <<<"$options"
    while IFS= read -r option; do
        if [[ -n $option ]] && ! grep -qx -- "$option" <<<"$options"; then
            problem "$page documents $option under OPTIONS, but '$exe --help' does not print it"
        fi
    done < <(documented_options "$page")

    local warnings
    warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
    if [[ -n $warnings ]]; then
        problem "man warns about $page:"$'\n'"$warnings"
    fi
    if ! lexgrog "$page" >/dev/null 2>&1; then
        problem "$page: lexgrog cannot read its NAME section (expected '.SH NAME' then 'name \\- summary')"
    fi
}

for exe in codalab-worker codalab-local-server codalab-worker-manager codalab-desktop; do
    if [[ ! -x $bindir/$exe ]]; then
        if [[ $exe == codalab-desktop ]]; then
            echo "check-manpages: $bindir has no codalab-desktop (a build without the GUI); not checking its page"
            continue
        fi
        problem "$bindir/$exe is not an executable"
        continue
    fi
    check_page "$exe"
done

if ((problems > 0)); then
    echo "check-manpages: $problems problem(s)" >&2
    exit 1
fi
echo "check-manpages: the pages in $mandir match the executables in $bindir"
