#!/usr/bin/env bash
# Installs the Debian packages listed (one per line, '#' comments) in the given files.
set -euo pipefail
packages=$(cat "$@" | sed 's/#.*//' | xargs)
[ -n "$packages" ] || exit 0
missing=$(for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done | xargs)
[ -n "$missing" ] || exit 0
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get -o DPkg::Lock::Timeout=300 update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends $missing
