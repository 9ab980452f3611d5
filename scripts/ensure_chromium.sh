#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. Install it when missing and we are root;
# otherwise say exactly what to install.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> Installing Debian's chromium for the browser tests (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  echo "    installed: $(command -v chromium)"
else
  echo "The browser tests need Chromium at /usr/bin/chromium." >&2
  echo "Install it with:  sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 1
fi
