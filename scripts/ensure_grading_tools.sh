#!/usr/bin/env bash
# The assessors' pipeline needs Debian's bubblewrap (the sandbox for learners' code); its
# PostgreSQL test needs a PostgreSQL server. Install what is asked for when missing and we are
# root with apt-get; otherwise say exactly what to install.
#   bash scripts/ensure_grading_tools.sh bubblewrap postgresql
set -euo pipefail
wanted=("${@:-bubblewrap}")
missing=()
for tool in "${wanted[@]}"; do
  case "$tool" in
    bubblewrap) command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap) ;;
    postgresql) { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; } || missing+=(postgresql) ;;
    *) echo "unknown tool: $tool (use bubblewrap or postgresql)" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> Installing Debian's ${missing[*]} for grading (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  echo "    installed: ${missing[*]}"
else
  echo "Grading needs: ${missing[*]}. Install with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
