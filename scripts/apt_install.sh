#!/usr/bin/env bash
# Install Debian packages when we are root with apt-get; otherwise say exactly what to install.
# Shared by the ensure_*.sh scripts, which decide what is missing.
#   bash scripts/apt_install.sh "the handouts" poppler-utils fonts-wqy-microhei
set -euo pipefail
purpose=$1
shift
[ $# -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> Installing Debian's $* for $purpose (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  echo "    installed: $*"
else
  echo "Missing for $purpose: $*. Install with:  sudo apt-get update && sudo apt-get install -y $*" >&2
  exit 1
fi
